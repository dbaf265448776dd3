//! The MATPOWER reader: every shared case reads; bad input gives located errors.
