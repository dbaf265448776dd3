//! Integration tests of lifeline-sweep.

mod table;
