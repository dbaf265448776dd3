//! The sparse symmetric positive-definite system of the junction heads: an exact port of
//! EPANET 2.3's `smatrix.c` and `genmmd.c`. One row per junction, one off-diagonal slot
//! per pair of junctions joined by a link (parallel links share it). Tanks and
//! reservoirs are fixed heads and have no row; a link touching one only adds to its
//! other end's diagonal and right-hand side.
//!
//! Why exact: on well-posed networks any good ordering and Cholesky agree with EPANET to
//! about 1e-8 m, but where junctions hang on the rest of the network only through closed
//! links (conductance 1e-8 beside an open pipe's 1e7) their heads are decided by
//! rounding, and EPANET's answer can only be reproduced by doing EPANET's arithmetic.
//! So [`NodalSystem::new`] builds EPANET's node adjacency lists in EPANET's order
//! (`localadjlists`, `paralink`, `xparalinks`), orders the junctions with EPANET's
//! multiple minimum degree `genmmd` (`reordernodes`, see `order.rs`), factorises
//! symbolically by growing the lists (`factorize`, `growlist`, `newlink`), and stores the
//! factor's structure (`storesparse`, `sortsparse`); [`NodalSystem::solve`] is
//! `linsolve` product for product and sum for sum (see `solve.rs`), with changes that
//! leave every rounding as it was: the order in which earlier columns update each
//! column, which `linsolve` finds by walking linked lists that depend on the structure
//! alone, is found once per network, and independent values are made level by level of
//! the elimination tree, not column by column (`solve::Layout`: rows renumbered,
//! off-diagonals stored in that order, every sum of products written out once). Arrays
//! are 1-based as in the C. Bit-equal
//! heads also need the coefficients assembled with EPANET's own expressions (its `SQR(x)`
//! is `(x * x)`, evaluated before the product it sits in).
//!
//! Units: whatever the caller assembles; the solver assembles ft²/s-ish gradients and
//! solves for heads in ft.

mod order;
mod solve;

pub(crate) use solve::F64x4;
use std::cell::RefCell;
use std::sync::Arc;
#[cfg(test)]
mod tests;

/// One entry of a node's adjacency list (EPANET's `Sadjlist`): the node at the other
/// end (0 marks a parallel link) and the link's slot in `Aij`.
#[derive(Debug, Clone, Copy)]
struct Adj {
    node: usize,
    link: usize,
}

/// EPANET's adjacency lists. Each list is stored with its head at the end of the `Vec`
/// (EPANET inserts at the head), so it is walked from the back.
type AdjLists = Vec<Vec<Adj>>;

/// Where one link's terms go, read once per network so that the assembly of every
/// trial reads 20 bytes per link, not the link's record and two row look-ups.
#[derive(Debug, Clone, Copy)]
pub struct LinkSlots {
    /// Start node (0-based; tanks and reservoirs after the junctions).
    pub from: u32,
    /// End node.
    pub to: u32,
    /// Row of the start node (1-based), or 0 for a fixed-head node.
    pub from_row: u32,
    /// Row of the end node, or 0.
    pub to_row: u32,
    /// The off-diagonal's factor position (see [`NodalSystem::add_off_diagonal`]).
    pub off_diagonal: u32,
}

/// The diagonal, off-diagonals and right-hand side of a [`NodalSystem`] by the
/// positions of [`LinkSlots`] (row 0 and position 0 are slots no solve reads).
pub struct Terms<'a> {
    /// Diagonal by row.
    pub aii: &'a mut [f64],
    /// Off-diagonals by factor position.
    pub off_diagonal: &'a mut [f64],
    /// Right-hand side by row.
    pub rhs: &'a mut [f64],
}

/// The structure of a [`NodalSystem`], analysed once per network and shared by every
/// copy of the system (and so by every run of the network).
#[derive(Debug)]
struct Symbolic {
    /// Number of junctions (rows), EPANET's `Njuncs`.
    n: usize,
    /// `order[row] = node` (1-based), EPANET's `Order`.
    order: Vec<usize>,
    /// `row[node] = row` (1-based), EPANET's `Row`.
    row: Vec<usize>,
    /// The factor's structure as the solve lays it out.
    layout: solve::Layout,
    /// Each junction's row in the layout (0-based junctions, 1-based rows).
    slot: Vec<usize>,
    /// Each link's nodes, rows and off-diagonal (EPANET's `Ndx`, as a factor position).
    link_slots: Vec<LinkSlots>,
}

/// The values of up to four systems side by side, kept per thread between solves.
#[derive(Default)]
struct FourSystems {
    aii: Vec<F64x4>,
    lval: Vec<F64x4>,
    f: Vec<F64x4>,
    temp: Vec<F64x4>,
    divisors: Vec<F64x4>,
}

thread_local! {
    static FOUR_SYSTEMS: RefCell<FourSystems> = RefCell::new(FourSystems::default());
}

/// Lane `i` of each value is `values(i)`'s first `len` values.
fn side_by_side<'a>(out: &mut Vec<F64x4>, len: usize, values: impl Fn(usize) -> &'a [f64]) {
    let (a, b, c, d) = (values(0), values(1), values(2), values(3));
    let (a, b, c, d) = (&a[..len], &b[..len], &c[..len], &d[..len]);
    out.clear();
    out.extend((0..len).map(|r| F64x4([a[r], b[r], c[r], d[r]])));
}

/// What a nodal system's assembly adds its terms to: a system of its own
/// ([`NodalSystem`]) or one lane of systems assembled side by side ([`Lane`]).
pub trait AddTerms {
    /// Add `v` to the diagonal of `junction`.
    fn add_diagonal(&mut self, junction: usize, v: f64);
    /// Add `v` to the right-hand side of `junction`.
    fn add_rhs(&mut self, junction: usize, v: f64);
}

/// [`AddTerms`] with the off-diagonals, which only links add to.
pub trait AddLinkTerms: AddTerms {
    /// Add `v` to the off-diagonal of `link` (see [`NodalSystem::add_off_diagonal`]).
    fn add_off_diagonal(&mut self, link: usize, v: f64);
}

impl AddTerms for NodalSystem {
    fn add_diagonal(&mut self, junction: usize, v: f64) {
        NodalSystem::add_diagonal(self, junction, v);
    }
    fn add_rhs(&mut self, junction: usize, v: f64) {
        NodalSystem::add_rhs(self, junction, v);
    }
}

impl AddLinkTerms for NodalSystem {
    fn add_off_diagonal(&mut self, link: usize, v: f64) {
        NodalSystem::add_off_diagonal(self, link, v);
    }
}

/// The structure of a [`NodalSystem`], shared by its copies (see [`in_lanes`]).
#[derive(Clone)]
pub(crate) struct Structure(Arc<Symbolic>);

/// `0..count` cut into runs of up to four neighbours that are copies of one system
/// (`copies(a, b)`), for one factorisation each.
pub(crate) fn groups_of_copies(
    count: usize,
    copies: impl Fn(usize, usize) -> bool,
) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    while start < count {
        let mut end = start + 1;
        while end < count && end - start < 4 && copies(start, end) {
            end += 1;
        }
        groups.push(start..end);
        start = end;
    }
    groups
}

/// Up to four systems of one structure assembled straight into the lanes of this
/// thread's work space, lane `i` system `i`'s, zeroed before `assemble` runs; then
/// [`Lanes::solve`] factorises them together and [`Lanes::heads`] reads each lane's
/// solution. No copy of the systems into lanes, as [`NodalSystem::solve_lanes`] makes.
pub(crate) fn in_lanes<R>(structure: &Structure, assemble: impl FnOnce(&mut Lanes<'_>) -> R) -> R {
    lanes_of(structure, |lanes| {
        let (s, w) = (lanes.s, &mut *lanes.w);
        let factor = s.layout.xlnz[s.n + 1];
        for (values, len) in [
            (&mut w.aii, s.n + 1),
            (&mut w.lval, factor),
            (&mut w.f, s.n + 1),
        ] {
            values.clear();
            values.resize(len, F64x4::default());
        }
        assemble(lanes)
    })
}

/// This thread's lanes for systems of `structure`, their solve's work arrays sized,
/// their values as the last user left them.
fn lanes_of<R>(structure: &Structure, f: impl FnOnce(&mut Lanes<'_>) -> R) -> R {
    let s = &*structure.0;
    FOUR_SYSTEMS.with_borrow_mut(|w| {
        w.temp.resize(s.n + 1, F64x4::default());
        w.divisors.resize(s.layout.xlnz[s.n + 1], F64x4::default());
        f(&mut Lanes { s, w })
    })
}

/// Four systems side by side in this thread's work space (see [`in_lanes`]).
pub(crate) struct Lanes<'a> {
    s: &'a Symbolic,
    w: &'a mut FourSystems,
}

/// The four systems' values a link's terms go to, by the positions of [`LinkSlots`].
pub(crate) struct LaneTerms<'a> {
    /// Diagonal by row.
    pub aii: &'a mut [F64x4],
    /// Off-diagonals by factor position.
    pub off_diagonal: &'a mut [F64x4],
    /// Right-hand side by row.
    pub rhs: &'a mut [F64x4],
}

impl Lanes<'_> {
    /// Each link's slots, and the four systems' terms to add to by them.
    pub fn link_terms(&mut self) -> (&[LinkSlots], LaneTerms<'_>) {
        (
            &self.s.link_slots,
            LaneTerms {
                aii: &mut self.w.aii,
                off_diagonal: &mut self.w.lval,
                rhs: &mut self.w.f,
            },
        )
    }

    /// Lane `lane`'s system, to add terms to.
    pub fn lane(&mut self, lane: usize) -> Lane<'_> {
        Lane {
            s: self.s,
            w: self.w,
            lane,
        }
    }

    /// Factorises and solves the four systems (EPANET's `linsolve` in each lane). For
    /// each lane of `used` (bits), `Err(junction)` where its factorisation met a
    /// non-positive pivot (as [`NodalSystem::solve`]); the others are padding.
    pub fn solve(&mut self, used: u32) -> [Result<(), usize>; 4] {
        let w = &mut *self.w;
        let values = solve::Values {
            aii: &mut w.aii,
            l: &mut w.lval,
            b: &mut w.f,
            temp: &mut w.temp,
            divisors: &mut w.divisors,
        };
        let failed = solve::linsolve_x4(&self.s.layout, values, used);
        failed.map(|row| {
            if row == 0 {
                Ok(())
            } else {
                Err(self.s.order[row] - 1)
            }
        })
    }

    /// Each junction's row, and the four systems' diagonals and right-hand sides by
    /// row.
    pub fn junction_rows(&mut self) -> (&[usize], &mut [F64x4], &mut [F64x4]) {
        (&self.s.slot, &mut self.w.aii, &mut self.w.f)
    }

    /// Lane `lane`'s junction heads, after [`Lanes::solve`].
    pub fn heads(&self, lane: usize, heads: &mut [f64]) {
        for (h, &slot) in heads[..self.s.n].iter_mut().zip(&self.s.slot) {
            *h = self.w.f[slot].0[lane];
        }
    }
}

/// One lane of [`Lanes`]: the terms of one system.
pub(crate) struct Lane<'a> {
    s: &'a Symbolic,
    w: &'a mut FourSystems,
    lane: usize,
}

impl AddTerms for Lane<'_> {
    fn add_diagonal(&mut self, junction: usize, v: f64) {
        let value = &mut self.w.aii[self.s.slot[junction]].0[self.lane];
        *value += v;
    }
    fn add_rhs(&mut self, junction: usize, v: f64) {
        let value = &mut self.w.f[self.s.slot[junction]].0[self.lane];
        *value += v;
    }
}

impl AddLinkTerms for Lane<'_> {
    fn add_off_diagonal(&mut self, link: usize, v: f64) {
        let value = &mut self.w.lval[self.s.link_slots[link].off_diagonal as usize].0[self.lane];
        *value += v;
    }
}

/// [`NodalSystem::solve_lanes`] of two to four systems of one structure (lanes past
/// the systems repeat the first system), copied into the lanes of [`in_lanes`].
fn solve_four(group: &mut [(&mut NodalSystem, &mut [f64])], results: &mut [Result<(), usize>]) {
    let structure = group[0].0.structure();
    let used = (1u32 << group.len()) - 1;
    lanes_of(&structure, |lanes| {
        let n = lanes.s.n;
        {
            let w = &mut *lanes.w;
            let lane = |i: usize| &*group[if i < group.len() { i } else { 0 }].0;
            side_by_side(&mut w.aii, n + 1, |i| &lane(i).aii);
            side_by_side(&mut w.lval, lane(0).lval.len(), |i| &lane(i).lval);
            side_by_side(&mut w.f, n + 1, |i| &lane(i).f);
        }
        let solved = lanes.solve(used);
        for (i, (_, heads)) in group.iter_mut().enumerate() {
            if solved[i].is_ok() {
                lanes.heads(i, heads);
            }
            results[i] = solved[i];
        }
    });
}

/// The nodal system `A·H = F` of the junction heads (EPANET's `Smatrix`), with its
/// structure analysed once. A copy shares the structure and has its own values.
#[derive(Debug, Clone)]
pub struct NodalSystem {
    /// The structure, shared.
    s: Arc<Symbolic>,
    /// Diagonal by row (`Aii`).
    aii: Vec<f64>,
    /// Off-diagonals by factor position (EPANET's `Aij[Lnz[i]]` at `i`), so that the
    /// factorisation reads and writes them in order; position 0 takes the entries of
    /// links that touch a fixed-head node, which no row reads.
    lval: Vec<f64>,
    /// Right-hand side by row (`F`).
    f: Vec<f64>,
    /// Work arrays of `linsolve`: by row, and by factor position (see
    /// [`solve::Values`]).
    temp: Vec<f64>,
    divisors: Vec<f64>,
}

impl NodalSystem {
    /// Structure from the junction count and each link's (from, to) nodes, in EPANET's
    /// link order (link `k` here is EPANET's `k + 1`); nodes >= `n_junctions` are
    /// fixed-head (EPANET's tanks and reservoirs, numbered after the junctions).
    pub fn new(n_junctions: usize, links: &[(usize, usize)]) -> NodalSystem {
        NodalSystem::with_layout(n_junctions, links, solve::Layout::new)
    }

    /// [`NodalSystem::new`] with the factor laid out by `layout` (from `n`, `XLNZ` and
    /// `NZSUB`).
    fn with_layout(
        n_junctions: usize,
        links: &[(usize, usize)],
        layout: impl FnOnce(usize, &[usize], &[usize]) -> solve::Layout,
    ) -> NodalSystem {
        let n = n_junctions;
        let n_nodes = links
            .iter()
            .map(|&(a, b)| a.max(b) + 1)
            .max()
            .unwrap_or(0)
            .max(n);
        let (mut adj, ndx) = local_adj_lists(n_nodes, links);
        let (row, order) = reorder_nodes(n, n_nodes, &adj);
        let ncoeffs = factorize(n, n_nodes, links.len(), &order, &mut adj);
        let (xlnz, mut nzsub, mut lnz) = store_sparse(n, &order, &row, &adj);
        sort_sparse(n, &xlnz, &mut nzsub, &mut lnz);
        // EPANET's slot of each factor position, inverted, then composed with the links'.
        let mut position_of_slot = vec![0; ncoeffs + 1];
        for (i, &slot) in lnz.iter().enumerate().skip(1) {
            position_of_slot[slot] = i;
        }
        let layout = layout(n, &xlnz, &nzsub);
        let slot: Vec<usize> = (1..=n).map(|i| layout.label[row[i]]).collect();
        // Node and row numbers fit 32 bits: the reader refuses a network of more than
        // 50 million nodes or links (a factor of 2^32 positions would need 64 GB).
        let row_of = |node: usize| if node < n { slot[node] as u32 } else { 0 };
        let link_slots = links
            .iter()
            .enumerate()
            .map(|(k, &(from, to))| LinkSlots {
                from: from as u32,
                to: to as u32,
                from_row: row_of(from),
                to_row: row_of(to),
                off_diagonal: layout.position[position_of_slot[ndx[k + 1]]] as u32,
            })
            .collect();
        NodalSystem {
            s: Arc::new(Symbolic {
                n,
                order,
                row,
                layout,
                slot,
                link_slots,
            }),
            lval: vec![0.0; lnz.len()],
            aii: vec![0.0; n_nodes + 1],
            f: vec![0.0; n_nodes + 1],
            temp: vec![0.0; n_nodes + 1],
            divisors: vec![0.0; lnz.len()],
        }
    }

    /// Each link's nodes, rows and off-diagonal, in link order.
    pub fn link_slots(&self) -> &[LinkSlots] {
        &self.s.link_slots
    }

    /// The structure, shared with the system's copies.
    pub(crate) fn structure(&self) -> Structure {
        Structure(Arc::clone(&self.s))
    }

    /// Whether `other` is a copy of this system (their structure is one).
    pub(crate) fn shares_structure(&self, other: &NodalSystem) -> bool {
        Arc::ptr_eq(&self.s, &other.s)
    }

    /// Each link's slots, and the system's terms to add to by them.
    pub fn slots_and_terms(&mut self) -> (&[LinkSlots], Terms<'_>) {
        (
            &self.s.link_slots,
            Terms {
                aii: &mut self.aii,
                off_diagonal: &mut self.lval,
                rhs: &mut self.f,
            },
        )
    }

    /// Number of junctions (rows).
    pub fn size(&self) -> usize {
        self.s.n
    }

    /// Number of stored entries of the Cholesky factor (diagonal and fill-in included).
    pub fn factor_nonzeros(&self) -> usize {
        self.s.n + self.s.layout.xlnz[self.s.n + 1] - 1
    }

    /// Zero the diagonal, off-diagonal and right-hand side (EPANET's `Aii`, `Aij`, `F`).
    pub fn clear(&mut self) {
        self.aii.fill(0.0);
        self.lval.fill(0.0);
        self.f.fill(0.0);
    }

    /// Add `v` to the diagonal of `junction` (`Aii[Row[n]]`).
    pub fn add_diagonal(&mut self, junction: usize, v: f64) {
        self.aii[self.s.slot[junction]] += v;
    }

    /// Add `v` to the off-diagonal of `link` (`Aij[Ndx[k]]`); parallel links share a
    /// slot. A link touching a fixed-head node adds to position 0, which the solve never
    /// reads, as EPANET adds to a slot of its own.
    pub fn add_off_diagonal(&mut self, link: usize, v: f64) {
        self.lval[self.s.link_slots[link].off_diagonal as usize] += v;
    }

    /// Add `v` to the right-hand side of `junction` (`F[Row[n]]`).
    pub fn add_rhs(&mut self, junction: usize, v: f64) {
        self.f[self.s.slot[junction]] += v;
    }

    /// Factorises and solves (EPANET's `linsolve`); writes junction heads into
    /// `heads[0..n_junctions]`. `Err(junction)` when the factorisation meets a
    /// non-positive pivot at that junction's row (EPANET's `Order[errcode]`); `heads` is
    /// then untouched. The system is consumed: assemble it again before the next solve.
    pub fn solve(&mut self, heads: &mut [f64]) -> Result<(), usize> {
        let s = &*self.s;
        let values = solve::Values {
            aii: &mut self.aii,
            l: &mut self.lval,
            b: &mut self.f,
            temp: &mut self.temp,
            divisors: &mut self.divisors,
        };
        solve::linsolve(&s.layout, values).map_err(|j| s.order[j] - 1)?;
        for (h, &slot) in heads[..s.n].iter_mut().zip(&s.slot) {
            *h = self.f[slot];
        }
        Ok(())
    }

    /// Solves each system into its heads, as [`NodalSystem::solve`] would, bit for bit.
    /// Consecutive copies of one system (which share its structure) are solved four at a time,
    /// their values side by side in the lanes of one factorisation, so that their
    /// divisions and square roots, which bound the solve, go four to an instruction.
    /// The systems are left as they were assembled (not consumed).
    pub fn solve_lanes(lanes: &mut [(&mut NodalSystem, &mut [f64])]) -> Vec<Result<(), usize>> {
        let mut results = vec![Ok(()); lanes.len()];
        for group in groups_of_copies(lanes.len(), |a, b| lanes[a].0.shares_structure(lanes[b].0)) {
            if group.len() == 1 {
                let (sys, heads) = &mut lanes[group.start];
                results[group.start] = sys.solve(heads);
            } else {
                solve_four(&mut lanes[group.clone()], &mut results[group]);
            }
        }
        results
    }

    /// Frees this thread's work space of [`NodalSystem::solve_lanes`] (four systems'
    /// values, kept between solves so that a batch allocates it once): for the end of a
    /// batch, so that a long-lived process does not keep the largest network's.
    pub fn release_lane_space() {
        FOUR_SYSTEMS.with_borrow_mut(|w| *w = FourSystems::default());
    }

    /// The junction eliminated at each step (the fill-reducing order, 0-based).
    pub fn ordering(&self) -> Vec<usize> {
        self.s.order[1..=self.s.n].iter().map(|&o| o - 1).collect()
    }

    /// Step at which each junction is eliminated (0-based).
    pub fn position(&self, junction: usize) -> usize {
        self.s.row[junction + 1] - 1
    }
}

/// `localadjlists` with `paralink` and `xparalinks`: each link at the head of both its
/// end nodes' lists, in link order; a link parallel to an earlier one (same end nodes,
/// either way round) takes that link's `Ndx` and leaves the lists. Returns the lists
/// (1-based nodes) and `Ndx` (1-based links). A link from a node to itself, which
/// EPANET's input rejects, stays out of the lists.
fn local_adj_lists(n_nodes: usize, links: &[(usize, usize)]) -> (AdjLists, Vec<usize>) {
    let mut adj: AdjLists = vec![Vec::new(); n_nodes + 1];
    let mut ndx = vec![0; links.len() + 1];
    for (k0, &(a, b)) in links.iter().enumerate() {
        let (k, i, j) = (k0 + 1, a + 1, b + 1);
        ndx[k] = k;
        if i == j {
            continue;
        }
        // paralink: the first link (from the head of i's list) already joining i to j.
        let parallel = adj[i].iter().rev().find(|e| e.node == j).map(|e| e.link);
        if let Some(l) = parallel {
            ndx[k] = l;
        }
        let mark = |node| if parallel.is_some() { 0 } else { node };
        adj[i].push(Adj {
            node: mark(j),
            link: k,
        });
        adj[j].push(Adj {
            node: mark(i),
            link: k,
        });
    }
    // xparalinks: remove the parallel link markers.
    for list in &mut adj {
        list.retain(|e| e.node != 0);
    }
    (adj, ndx)
}

/// `reordernodes`: the junctions' adjacency (junction neighbours only, each list from
/// its head) handed to `genmmd`. Returns `(Row, Order)` over all nodes, 1-based; fixed-
/// head nodes keep their own index.
fn reorder_nodes(n: usize, n_nodes: usize, adj: &AdjLists) -> (Vec<usize>, Vec<usize>) {
    let mut row: Vec<usize> = (0..=n_nodes).collect();
    let mut order: Vec<usize> = (0..=n_nodes).collect();
    let mut xadj = vec![0i64; n + 2];
    let mut adjncy = vec![0i64];
    xadj[1] = 1;
    for k in 1..=n {
        for e in adj[k].iter().rev() {
            if e.node > 0 && e.node <= n {
                adjncy.push(e.node as i64);
            }
        }
        xadj[k + 1] = adjncy.len() as i64;
    }
    let (invp, perm) = order::genmmd(n, xadj, adjncy);
    row[1..=n].copy_from_slice(&invp[1..=n]);
    order[1..=n].copy_from_slice(&perm[1..=n]);
    (row, order)
}

/// `factorize` with `growlist`, `newlink`, `linked` and `addlink`: in elimination order,
/// each junction's active neighbours are joined pairwise by fill-in entries, numbered
/// after the links. Returns `Ncoeffs`, the number of `Aij` slots.
fn factorize(
    n: usize,
    n_nodes: usize,
    n_links: usize,
    order: &[usize],
    adj: &mut AdjLists,
) -> usize {
    // Tanks (nodes above Njuncs) have zero degree.
    let mut degree = vec![0usize; n_nodes + 1];
    for k in 1..=n {
        degree[k] = adj[k].iter().filter(|e| e.node > 0).count();
    }
    let mut ncoeffs = n_links;
    for &knode in &order[1..=n] {
        // growlist: the list as it stands (new entries go to other nodes' lists).
        let list: Vec<Adj> = adj[knode].iter().rev().copied().collect();
        for (a, alink) in list.iter().enumerate() {
            let inode = alink.node;
            if inode == 0 || degree[inode] == 0 {
                continue;
            }
            degree[inode] -= 1;
            // newlink: join inode to every later active node it is not linked to.
            for blink in &list[a + 1..] {
                let jnode = blink.node;
                if jnode > 0 && degree[jnode] > 0 && !adj[inode].iter().any(|e| e.node == jnode) {
                    ncoeffs += 1;
                    adj[inode].push(Adj {
                        node: jnode,
                        link: ncoeffs,
                    });
                    adj[jnode].push(Adj {
                        node: inode,
                        link: ncoeffs,
                    });
                    degree[inode] += 1;
                    degree[jnode] += 1;
                }
            }
        }
        degree[knode] = 0;
    }
    ncoeffs
}

/// `storesparse`: for each column (row order), the rows below the diagonal and their
/// `Aij` slots, each list walked from its head. Returns `(XLNZ, NZSUB, LNZ)`, 1-based.
fn store_sparse(
    n: usize,
    order: &[usize],
    row: &[usize],
    adj: &AdjLists,
) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let mut xlnz = vec![0; n + 2];
    let mut nzsub = vec![0];
    let mut lnz = vec![0];
    xlnz[1] = 1;
    for i in 1..=n {
        let mut m = 0;
        for e in adj[order[i]].iter().rev() {
            if e.node == 0 {
                continue;
            }
            let j = row[e.node];
            if j > i && j <= n {
                m += 1;
                nzsub.push(j);
                lnz.push(e.link);
            }
        }
        xlnz[i + 1] = xlnz[i] + m;
    }
    (xlnz, nzsub, lnz)
}

/// `sortsparse`: rows in ascending order in each column, by transposing twice.
fn sort_sparse(n: usize, xlnz: &[usize], nzsub: &mut [usize], lnz: &mut [usize]) {
    let mut nzt = vec![0usize; n + 2];
    for i in 1..=n {
        for k in xlnz[i]..xlnz[i + 1] {
            nzt[nzsub[k]] += 1;
        }
    }
    let mut xlnzt = vec![0usize; n + 2];
    xlnzt[1] = 1;
    for i in 1..=n {
        xlnzt[i + 1] = xlnzt[i] + nzt[i];
    }
    let mut nzsubt = vec![0usize; nzsub.len()];
    let mut lnzt = vec![0usize; lnz.len()];
    transpose(
        n,
        xlnz,
        nzsub,
        lnz,
        &xlnzt,
        &mut nzsubt,
        &mut lnzt,
        &mut nzt,
    );
    transpose(n, &xlnzt, &nzsubt, &lnzt, xlnz, nzsub, lnz, &mut nzt);
}

/// `transpose`: the sparse storage `(ilt, jlt, xlt)` of the transpose of `(il, jl, xl)`.
#[allow(clippy::too_many_arguments)]
fn transpose(
    n: usize,
    il: &[usize],
    jl: &[usize],
    xl: &[usize],
    ilt: &[usize],
    jlt: &mut [usize],
    xlt: &mut [usize],
    nzt: &mut [usize],
) {
    nzt[1..=n].fill(0);
    for i in 1..=n {
        for k in il[i]..il[i + 1] {
            let j = jl[k];
            let kk = ilt[j] + nzt[j];
            jlt[kk] = i;
            xlt[kk] = xl[k];
            nzt[j] += 1;
        }
    }
}
