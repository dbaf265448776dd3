//! Undirected graphs given as a node count and an edge list: connected components (the
//! islands of a grid after outages) and bridges (edges whose loss splits a component).
//!
//! Edges are `(a, b)` pairs of node indices in `0..node_count`; self-loops and parallel
//! edges are allowed. Functions here never allocate per edge beyond an adjacency list.

/// Connected components of an undirected graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// Component of each node, numbered `0..count` in order of each component's lowest node.
    pub label: Vec<usize>,
    /// Number of components.
    pub count: usize,
}

impl Components {
    /// The nodes of each component, each list in increasing node order.
    pub fn members(&self) -> Vec<Vec<usize>> {
        let mut members = vec![Vec::new(); self.count];
        for (node, &component) in self.label.iter().enumerate() {
            members[component].push(node);
        }
        members
    }
}

/// Connected components of the graph on `node_count` nodes with the given edges.
///
/// # Panics
/// If an edge names a node `>= node_count` (a programming error: callers compile edges
/// from validated models).
pub fn connected_components(
    node_count: usize,
    edges: impl IntoIterator<Item = (usize, usize)>,
) -> Components {
    let mut parent: Vec<usize> = (0..node_count).collect();
    fn find(parent: &mut [usize], mut node: usize) -> usize {
        while parent[node] != node {
            parent[node] = parent[parent[node]];
            node = parent[node];
        }
        node
    }
    for (a, b) in edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            // Keep the lower index as root so numbering follows the lowest node.
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent[high] = low;
        }
    }
    let mut label = vec![usize::MAX; node_count];
    let mut root_label = vec![usize::MAX; node_count];
    let mut count = 0;
    for (node, label) in label.iter_mut().enumerate() {
        let root = find(&mut parent, node);
        if root_label[root] == usize::MAX {
            root_label[root] = count;
            count += 1;
        }
        *label = root_label[root];
    }
    Components { label, count }
}

/// Which edges are bridges: removing a bridge increases the number of components.
/// A parallel edge is never a bridge, since its twin keeps the two ends connected;
/// a self-loop is never a bridge.
///
/// Iterative Tarjan low-link search, O(nodes + edges), safe on deep (radial) graphs.
pub fn bridges(node_count: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut adjacency_start = vec![0usize; node_count + 1];
    for &(a, b) in edges {
        adjacency_start[a + 1] += 1;
        adjacency_start[b + 1] += 1;
    }
    for i in 0..node_count {
        adjacency_start[i + 1] += adjacency_start[i];
    }
    let mut fill = adjacency_start.clone();
    let mut adjacency = vec![(0usize, 0usize); 2 * edges.len()];
    for (edge, &(a, b)) in edges.iter().enumerate() {
        adjacency[fill[a]] = (b, edge);
        fill[a] += 1;
        adjacency[fill[b]] = (a, edge);
        fill[b] += 1;
    }

    let mut is_bridge = vec![false; edges.len()];
    let mut discovery = vec![usize::MAX; node_count];
    let mut low = vec![0usize; node_count];
    let mut next_time = 0;
    // Stack frames: (node, edge used to enter it, next adjacency position to visit).
    let mut stack: Vec<(usize, usize, usize)> = Vec::new();
    for root in 0..node_count {
        if discovery[root] != usize::MAX {
            continue;
        }
        discovery[root] = next_time;
        low[root] = next_time;
        next_time += 1;
        stack.push((root, usize::MAX, adjacency_start[root]));
        while let Some(frame) = stack.last_mut() {
            let (node, parent_edge, position) = *frame;
            if position < adjacency_start[node + 1] {
                frame.2 += 1;
                let (neighbour, edge) = adjacency[position];
                if edge == parent_edge {
                    continue;
                }
                if discovery[neighbour] == usize::MAX {
                    discovery[neighbour] = next_time;
                    low[neighbour] = next_time;
                    next_time += 1;
                    stack.push((neighbour, edge, adjacency_start[neighbour]));
                } else {
                    low[node] = low[node].min(discovery[neighbour]);
                }
            } else {
                stack.pop();
                if let Some(&(parent, _, _)) = stack.last() {
                    low[parent] = low[parent].min(low[node]);
                    if low[node] > discovery[parent] {
                        is_bridge[parent_edge] = true;
                    }
                }
            }
        }
    }
    is_bridge
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn components_are_numbered_by_lowest_node() {
        let components = connected_components(6, [(4, 5), (0, 2), (3, 4)]);
        assert_eq!(components.count, 3);
        assert_eq!(components.label, vec![0, 1, 0, 2, 2, 2]);
        assert_eq!(
            components.members(),
            vec![vec![0, 2], vec![1], vec![3, 4, 5]]
        );
    }

    #[test]
    fn bridges_of_a_ring_with_a_tail() {
        // Ring 0-1-2-0, tail 2-3-4, parallel pair 4=5, self-loop at 1.
        let edges = [
            (0, 1),
            (1, 2),
            (2, 0),
            (2, 3),
            (3, 4),
            (4, 5),
            (5, 4),
            (1, 1),
        ];
        assert_eq!(
            bridges(6, &edges),
            vec![false, false, false, true, true, false, false, false]
        );
    }

    /// A bridge is exactly an edge whose removal adds a component.
    fn brute_force_bridges(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
        let base = connected_components(n, edges.iter().copied()).count;
        (0..edges.len())
            .map(|skip| {
                let rest = edges
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, e)| *e);
                connected_components(n, rest).count > base
            })
            .collect()
    }

    proptest! {
        #[test]
        fn bridges_match_brute_force(
            n in 1usize..12,
            raw in proptest::collection::vec((0usize..12, 0usize..12), 0..24),
        ) {
            let edges: Vec<(usize, usize)> = raw.into_iter().map(|(a, b)| (a % n, b % n)).collect();
            prop_assert_eq!(bridges(n, &edges), brute_force_bridges(n, &edges));
        }
    }
}
