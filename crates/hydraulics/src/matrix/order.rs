//! EPANET 2.3's `genmmd.c`: Joseph Liu's multiple minimum (external) degree ordering, an
//! f2c translation of the Fortran GENMMD with its subroutines MMDINT, MMDELM, MMDUPD and
//! MMDNUM. Ported statement for statement, gotos turned into labelled loops, arrays kept
//! 1-based (index 0 unused) and signed as in the original, so that every tie is broken
//! exactly as EPANET breaks it: the ordering decides the order of every floating-point
//! operation of the factorisation.

/// EPANET passes `INT_MAX` as `maxint`.
const MAXINT: i64 = i32::MAX as i64;

/// The working state of `genmmd`; every array is 1-based.
struct Mmd {
    /// Start of each node's adjacency in `adjncy` (`n + 2` entries).
    xadj: Vec<i64>,
    /// Adjacency structure, destroyed as the quotient graph evolves.
    adjncy: Vec<i64>,
    /// Head of each degree list.
    dhead: Vec<i64>,
    /// Degree forward link (`invp` on output).
    dforw: Vec<i64>,
    /// Degree backward link (`perm` on output).
    dbakw: Vec<i64>,
    /// Size of each supernode.
    qsize: Vec<i64>,
    /// Temporary linked lists.
    llist: Vec<i64>,
    /// Marker vector.
    marker: Vec<i64>,
}

/// Index of a 1-based signed array.
fn ix(i: i64) -> usize {
    i as usize
}

/// `genmmd(neqns, xadj, adjncy, invp, perm, delta = -1, ..., maxint = INT_MAX, nofsub)`
/// as EPANET's `reordernodes` calls it. `xadj` (1-based, `n + 2` entries) and `adjncy`
/// (1-based) hold the adjacency of nodes `1..=n`. Returns `(invp, perm)`, 1-based:
/// `perm[position] = node` (EPANET's `Order`) and `invp[node] = position` (`Row`).
pub(super) fn genmmd(n: usize, xadj: Vec<i64>, adjncy: Vec<i64>) -> (Vec<usize>, Vec<usize>) {
    let neqns = n as i64;
    let delta: i64 = -1;
    let mut m = Mmd {
        xadj,
        adjncy,
        dhead: vec![0; n + 2],
        dforw: vec![0; n + 2],
        dbakw: vec![0; n + 2],
        qsize: vec![0; n + 2],
        llist: vec![0; n + 2],
        marker: vec![0; n + 2],
    };
    if neqns > 0 {
        m.mmdint(neqns);
        m.eliminate(neqns, delta);
        m.mmdnum(neqns);
    }
    let invp = m.dforw.iter().map(|&v| v.max(0) as usize).collect();
    let perm = m.dbakw.iter().map(|&v| v.max(0) as usize).collect();
    (invp, perm)
}

impl Mmd {
    /// The body of `genmmd` from `num = 1` to label 1000 (the call of `mmdnum`).
    fn eliminate(&mut self, neqns: i64, delta: i64) {
        // NUM counts the number of ordered nodes plus 1.
        let mut num: i64 = 1;
        // Eliminate all isolated nodes.
        let mut nextmd = self.dhead[1];
        while nextmd > 0 {
            let mdnode = nextmd;
            nextmd = self.dforw[ix(mdnode)];
            self.marker[ix(mdnode)] = MAXINT;
            self.dforw[ix(mdnode)] = -num;
            num += 1;
        }
        // L200
        if num > neqns {
            return;
        }
        let mut tag: i64 = 1;
        self.dhead[1] = 0;
        let mut mdeg: i64 = 2;
        loop {
            // L300: search for node of the minimum degree.
            while self.dhead[ix(mdeg)] <= 0 {
                mdeg += 1;
            }
            // L400
            let mdlmt = mdeg + delta;
            let mut ehead: i64 = 0;
            loop {
                // L500
                let mdnode = self.dhead[ix(mdeg)];
                if mdnode <= 0 {
                    mdeg += 1;
                    if mdeg > mdlmt {
                        break;
                    }
                    continue;
                }
                // L600: remove mdnode from the degree structure.
                let nextmd = self.dforw[ix(mdnode)];
                self.dhead[ix(mdeg)] = nextmd;
                if nextmd > 0 {
                    self.dbakw[ix(nextmd)] = -mdeg;
                }
                self.dforw[ix(mdnode)] = -num;
                if num + self.qsize[ix(mdnode)] > neqns {
                    return;
                }
                // Eliminate mdnode and perform quotient graph transformation; reset tag
                // value if necessary.
                tag += 1;
                if tag >= MAXINT {
                    tag = 1;
                    self.reset_markers(neqns);
                }
                // L800
                self.mmdelm(mdnode, tag);
                num += self.qsize[ix(mdnode)];
                self.llist[ix(mdnode)] = ehead;
                ehead = mdnode;
                if delta < 0 {
                    break;
                }
            }
            // L900: update degrees of the nodes involved in the elimination.
            if num > neqns {
                return;
            }
            self.mmdupd(ehead, neqns, delta, &mut mdeg, &mut tag);
        }
    }

    /// Markers below `maxint` back to 0 (the tag reset of `genmmd` and `mmdupd`).
    fn reset_markers(&mut self, neqns: i64) {
        for i in 1..=ix(neqns) {
            if self.marker[i] < MAXINT {
                self.marker[i] = 0;
            }
        }
    }

    /// `mmdint`: degree doubly linked lists, supernode sizes, markers.
    fn mmdint(&mut self, neqns: i64) {
        for node in 1..=ix(neqns) {
            self.dhead[node] = 0;
            self.qsize[node] = 1;
            self.marker[node] = 0;
            self.llist[node] = 0;
        }
        for node in 1..=ix(neqns) {
            let ndeg = self.xadj[node + 1] - self.xadj[node] + 1;
            let fnode = self.dhead[ix(ndeg)];
            self.dforw[node] = fnode;
            self.dhead[ix(ndeg)] = node as i64;
            if fnode > 0 {
                self.dbakw[ix(fnode)] = node as i64;
            }
            self.dbakw[node] = -ndeg;
        }
    }

    /// `mmdelm`: eliminates `mdnode` and transforms the quotient graph.
    fn mmdelm(&mut self, mdnode: i64, tag: i64) {
        // Find reachable set and place in data structure.
        self.marker[ix(mdnode)] = tag;
        let istrt = self.xadj[ix(mdnode)];
        let istop = self.xadj[ix(mdnode) + 1] - 1;
        // elmnt points to the list of eliminated nabors of mdnode; rloc gives the
        // storage location for the next reachable node.
        let mut elmnt: i64 = 0;
        let mut rloc = istrt;
        let mut rlmt = istop;
        for i in istrt..=istop {
            let nabor = self.adjncy[ix(i)];
            if nabor == 0 {
                break;
            }
            if self.marker[ix(nabor)] >= tag {
                continue;
            }
            self.marker[ix(nabor)] = tag;
            if self.dforw[ix(nabor)] < 0 {
                // L100
                self.llist[ix(nabor)] = elmnt;
                elmnt = nabor;
            } else {
                self.adjncy[ix(rloc)] = nabor;
                rloc += 1;
            }
        }
        // L300: merge with reachable nodes from generalized elements.
        while elmnt > 0 {
            self.adjncy[ix(rlmt)] = -elmnt;
            let mut link = elmnt;
            'l400: loop {
                let jstrt = self.xadj[ix(link)];
                let jstop = self.xadj[ix(link) + 1] - 1;
                for j in jstrt..=jstop {
                    let node = self.adjncy[ix(j)];
                    link = -node;
                    if node < 0 {
                        continue 'l400;
                    } else if node == 0 {
                        break 'l400;
                    }
                    // L500
                    if self.marker[ix(node)] >= tag || self.dforw[ix(node)] < 0 {
                        continue;
                    }
                    self.marker[ix(node)] = tag;
                    // L600: use storage from eliminated nodes if necessary.
                    while rloc >= rlmt {
                        link = -self.adjncy[ix(rlmt)];
                        rloc = self.xadj[ix(link)];
                        rlmt = self.xadj[ix(link) + 1] - 1;
                    }
                    // L700
                    self.adjncy[ix(rloc)] = node;
                    rloc += 1;
                }
                break;
            }
            // L900
            elmnt = self.llist[ix(elmnt)];
        }
        // L1000
        if rloc <= rlmt {
            self.adjncy[ix(rloc)] = 0;
        }
        self.update_reachable(mdnode, tag);
    }

    /// The end of `mmdelm` (labels 1100 to 1800): for each node in the reachable set,
    /// out of the degree structure, purge its inactive quotient nabors, and either merge
    /// it with `mdnode` or flag it for a degree update.
    fn update_reachable(&mut self, mdnode: i64, tag: i64) {
        let mut link = mdnode;
        'l1100: loop {
            let istrt = self.xadj[ix(link)];
            let istop = self.xadj[ix(link) + 1] - 1;
            for i in istrt..=istop {
                let rnode = self.adjncy[ix(i)];
                link = -rnode;
                if rnode < 0 {
                    continue 'l1100;
                } else if rnode == 0 {
                    return;
                }
                // L1200: if rnode is in the degree list structure, remove it.
                let pvnode = self.dbakw[ix(rnode)];
                if !(pvnode == 0 || pvnode == -MAXINT) {
                    let nxnode = self.dforw[ix(rnode)];
                    if nxnode > 0 {
                        self.dbakw[ix(nxnode)] = pvnode;
                    }
                    if pvnode > 0 {
                        self.dforw[ix(pvnode)] = nxnode;
                    }
                    let npv = -pvnode;
                    if pvnode < 0 {
                        self.dhead[ix(npv)] = nxnode;
                    }
                }
                // L1300: purge inactive quotient nabors of rnode.
                let jstrt = self.xadj[ix(rnode)];
                let jstop = self.xadj[ix(rnode) + 1] - 1;
                let mut xqnbr = jstrt;
                for j in jstrt..=jstop {
                    let nabor = self.adjncy[ix(j)];
                    if nabor == 0 {
                        break;
                    }
                    if self.marker[ix(nabor)] >= tag {
                        continue;
                    }
                    self.adjncy[ix(xqnbr)] = nabor;
                    xqnbr += 1;
                }
                // L1500
                let nqnbrs = xqnbr - jstrt;
                if nqnbrs <= 0 {
                    // No active nabor after the purging: merge rnode with mdnode.
                    self.qsize[ix(mdnode)] += self.qsize[ix(rnode)];
                    self.qsize[ix(rnode)] = 0;
                    self.marker[ix(rnode)] = MAXINT;
                    self.dforw[ix(rnode)] = -mdnode;
                    self.dbakw[ix(rnode)] = -MAXINT;
                } else {
                    // L1600: flag rnode for degree update, add mdnode as a nabor.
                    self.dforw[ix(rnode)] = nqnbrs + 1;
                    self.dbakw[ix(rnode)] = 0;
                    self.adjncy[ix(xqnbr)] = mdnode;
                    xqnbr += 1;
                    if xqnbr <= jstop {
                        self.adjncy[ix(xqnbr)] = 0;
                    }
                }
            }
            return;
        }
    }

    /// `mmdupd`: updates the degrees of the nodes after a multiple elimination step.
    fn mmdupd(&mut self, ehead: i64, neqns: i64, delta: i64, mdeg: &mut i64, tag: &mut i64) {
        let mdeg0 = *mdeg + delta;
        let mut elmnt = ehead;
        // L100: for each of the newly formed elements.
        while elmnt > 0 {
            let mut mtag = *tag + mdeg0;
            if mtag >= MAXINT {
                *tag = 1;
                self.reset_markers(neqns);
                mtag = *tag + mdeg0;
            }
            // L300: two linked lists of the element's nodes, with two nabors (q2) and
            // with more (qx); deg0, the number of nodes in the element.
            let mut q2head: i64 = 0;
            let mut qxhead: i64 = 0;
            let mut deg0: i64 = 0;
            let mut link = elmnt;
            'l400: loop {
                let istrt = self.xadj[ix(link)];
                let istop = self.xadj[ix(link) + 1] - 1;
                for i in istrt..=istop {
                    let enode = self.adjncy[ix(i)];
                    link = -enode;
                    if enode < 0 {
                        continue 'l400;
                    } else if enode == 0 {
                        break 'l400;
                    }
                    // L500
                    if self.qsize[ix(enode)] == 0 {
                        continue;
                    }
                    deg0 += self.qsize[ix(enode)];
                    self.marker[ix(enode)] = mtag;
                    if self.dbakw[ix(enode)] != 0 {
                        continue;
                    }
                    if self.dforw[ix(enode)] == 2 {
                        // L600
                        self.llist[ix(enode)] = q2head;
                        q2head = enode;
                    } else {
                        self.llist[ix(enode)] = qxhead;
                        qxhead = enode;
                    }
                }
                break;
            }
            // L800 (q2 list), L1500 (qx list).
            for (iq2, head) in [(true, q2head), (false, qxhead)] {
                let mut enode = head;
                while enode > 0 {
                    if self.dbakw[ix(enode)] == 0 {
                        *tag += 1;
                        let deg = if iq2 {
                            self.q2_degree(enode, elmnt, deg0, *tag)
                        } else {
                            self.qx_degree(enode, deg0, *tag)
                        };
                        self.relink(enode, deg, mdeg);
                    }
                    // L2200: next enode in current element.
                    enode = self.llist[ix(enode)];
                }
            }
            // L2300: next element in the list.
            *tag = mtag;
            elmnt = self.llist[ix(elmnt)];
        }
    }

    /// `mmdupd` labels 900 to 1400: the degree of an `enode` with two nabors (the
    /// element and one other), merging indistinguishable nodes into it.
    fn q2_degree(&mut self, enode: i64, elmnt: i64, deg0: i64, tag: i64) -> i64 {
        let mut deg = deg0;
        // Identify the other adjacent element nabor.
        let istrt = self.xadj[ix(enode)];
        let mut nabor = self.adjncy[ix(istrt)];
        if nabor == elmnt {
            nabor = self.adjncy[ix(istrt + 1)];
        }
        // If nabor is uneliminated, increase degree count.
        let mut link = nabor;
        if self.dforw[ix(nabor)] >= 0 {
            return deg + self.qsize[ix(nabor)];
        }
        // L1000: otherwise, for each node in the 2nd element.
        'l1000: loop {
            let istrt = self.xadj[ix(link)];
            let istop = self.xadj[ix(link) + 1] - 1;
            for i in istrt..=istop {
                let node = self.adjncy[ix(i)];
                link = -node;
                if node == enode {
                    continue;
                }
                if node < 0 {
                    continue 'l1000;
                } else if node == 0 {
                    break 'l1000;
                }
                // L1100
                if self.qsize[ix(node)] == 0 {
                    continue;
                }
                if self.marker[ix(node)] < tag {
                    // Node not yet considered.
                    self.marker[ix(node)] = tag;
                    deg += self.qsize[ix(node)];
                    continue;
                }
                // L1200: node indistinguishable from enode: merge into a supernode.
                if self.dbakw[ix(node)] != 0 {
                    continue;
                }
                if self.dforw[ix(node)] == 2 {
                    self.qsize[ix(enode)] += self.qsize[ix(node)];
                    self.qsize[ix(node)] = 0;
                    self.marker[ix(node)] = MAXINT;
                    self.dforw[ix(node)] = -enode;
                    self.dbakw[ix(node)] = -MAXINT;
                    continue;
                }
                // L1300: node outmatched by enode.
                if self.dbakw[ix(node)] == 0 {
                    self.dbakw[ix(node)] = -MAXINT;
                }
            }
            break;
        }
        deg
    }

    /// `mmdupd` labels 1600 to 2000: the degree of an `enode` with more than two nabors.
    fn qx_degree(&mut self, enode: i64, deg0: i64, tag: i64) -> i64 {
        let mut deg = deg0;
        let istrt = self.xadj[ix(enode)];
        let istop = self.xadj[ix(enode) + 1] - 1;
        for i in istrt..=istop {
            let nabor = self.adjncy[ix(i)];
            if nabor == 0 {
                break;
            }
            if self.marker[ix(nabor)] >= tag {
                continue;
            }
            self.marker[ix(nabor)] = tag;
            let mut link = nabor;
            // If uneliminated, include it in deg count.
            if self.dforw[ix(nabor)] >= 0 {
                deg += self.qsize[ix(nabor)];
                continue;
            }
            // L1700: if eliminated, include unmarked nodes in this element.
            'l1700: loop {
                let jstrt = self.xadj[ix(link)];
                let jstop = self.xadj[ix(link) + 1] - 1;
                for j in jstrt..=jstop {
                    let node = self.adjncy[ix(j)];
                    link = -node;
                    if node < 0 {
                        continue 'l1700;
                    } else if node == 0 {
                        break 'l1700;
                    }
                    // L1800
                    if self.marker[ix(node)] < tag {
                        self.marker[ix(node)] = tag;
                        deg += self.qsize[ix(node)];
                    }
                }
                break;
            }
        }
        deg
    }

    /// `mmdupd` label 2100: external degree of `enode` into the degree structure, and
    /// `mdeg` lowered if necessary.
    fn relink(&mut self, enode: i64, deg: i64, mdeg: &mut i64) {
        let deg = deg - self.qsize[ix(enode)] + 1;
        let fnode = self.dhead[ix(deg)];
        self.dforw[ix(enode)] = fnode;
        self.dbakw[ix(enode)] = -deg;
        if fnode > 0 {
            self.dbakw[ix(fnode)] = enode;
        }
        self.dhead[ix(deg)] = enode;
        if deg < *mdeg {
            *mdeg = deg;
        }
    }

    /// `mmdnum`: the final permutation and its inverse from the merged supernodes;
    /// leaves `invp` in `dforw` and `perm` in `dbakw`.
    fn mmdnum(&mut self, neqns: i64) {
        let n = ix(neqns);
        let (perm, invp, qsize) = (&mut self.dbakw, &mut self.dforw, &self.qsize);
        for node in 1..=n {
            let nqsize = qsize[node];
            if nqsize <= 0 {
                perm[node] = invp[node];
            }
            if nqsize > 0 {
                perm[node] = -invp[node];
            }
        }
        // For each node which has been merged.
        for node in 1..=n {
            if perm[node] > 0 {
                continue;
            }
            // Trace the merged tree until one which has not been merged, the root.
            let mut father = node as i64;
            while perm[ix(father)] <= 0 {
                father = -perm[ix(father)];
            }
            // Number node after root.
            let root = father;
            let num = perm[ix(root)] + 1;
            invp[node] = -num;
            perm[ix(root)] = num;
            // Shorten the merged tree.
            father = node as i64;
            loop {
                let nextf = -perm[ix(father)];
                if nextf <= 0 {
                    break;
                }
                perm[ix(father)] = -root;
                father = nextf;
            }
        }
        // Ready to compute perm.
        for node in 1..=n {
            let num = -invp[node];
            invp[node] = num;
            perm[ix(num)] = node as i64;
        }
    }
}
