//! Undirected graphs given as a node count and an edge list: connected components (the
//! islands of a grid after outages, the isolated parts of a water network).
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
