//! Org charts drawn as Mermaid flowcharts in a fenced `mermaid` code block.
//!
//! Takes the code of the block; gives one [`Node`] per node of a flowchart (`graph TD`,
//! `flowchart LR`) when at least one node has a label: its text (the label, with `<br>` a line
//! break and other tags dropped, or its id when it has none), the line it is labelled on, and its
//! depth, the distance from a root along the edges, listed parent before children as a nested
//! list reads. Edges, edge labels, comments and keyword lines (`subgraph`, `end`, `classDef`,
//! `style`, `click`...) give nothing. Anything else (another diagram, a flowchart of bare ids,
//! more than [`MAX_NODES`] nodes or [`MAX_EDGES`] edges) gives `None`, and the caller keeps the
//! code as text. Never fails and never recurses: the walk is a loop over an explicit stack.

use super::{html, LineText};
use std::collections::HashMap;

/// Nodes read before the chart is left as code.
pub(super) const MAX_NODES: usize = 10_000;
/// Edges read before the chart is left as code.
pub(super) const MAX_EDGES: usize = 100_000;

/// One node of the chart, as a list item.
pub(super) struct Node {
    /// The label (or the id) as text with line breaks.
    pub(super) text: LineText,
    /// The line the node is labelled on (else first named on).
    pub(super) line: u32,
    /// Distance from a root.
    pub(super) depth: u8,
}

/// A node as read: its id, its label if it was given one, and where.
struct Read<'c> {
    id: &'c str,
    label: Option<(u32, &'c str)>,
    line: u32,
}

#[derive(Default)]
struct Chart<'c> {
    nodes: Vec<Read<'c>>,
    index: HashMap<&'c str, usize>,
    edges: Vec<(usize, usize)>,
}

/// The chart's nodes in reading order, or `None` when `code` (whose first line is line
/// `first_line` of the file) is not a flowchart with labelled nodes.
pub(super) fn org_chart(code: &str, first_line: u32) -> Option<Vec<Node>> {
    let mut chart = Chart::default();
    let mut header = false;
    for (i, text) in code.lines().enumerate() {
        let line = first_line.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        let text = text.trim();
        if text.is_empty() || text.starts_with("%%") {
            continue;
        }
        let statements = if header {
            text
        } else {
            let (keyword, rest) = split_word(text);
            if !matches!(keyword, "graph" | "flowchart" | "flowchart-elk") {
                return None;
            }
            header = true;
            let (direction, after) = split_word(rest);
            match direction {
                "TB" | "TD" | "BT" | "RL" | "LR" => after,
                _ => rest,
            }
        };
        let (first, _) = split_word(statements);
        if is_keyword(first) {
            continue;
        }
        chart.statements(statements, line)?;
    }
    if !chart.nodes.iter().any(|n| n.label.is_some()) {
        return None;
    }
    Some(chart.walk())
}

impl<'c> Chart<'c> {
    /// Reads one line of statements: chains of node groups joined by edges
    /// (`A & B --> C[Label] -->|text| D`), separated by `;`. Every node of a group links to
    /// every node of the group after the edge. `None` when the chart is too large.
    fn statements(&mut self, s: &'c str, line: u32) -> Option<()> {
        let b = s.as_bytes();
        let mut i = 0;
        // The group before the last edge, and the group being read.
        let mut sources: Vec<usize> = Vec::new();
        let mut group: Vec<usize> = Vec::new();
        while let Some(&c) = b.get(i) {
            if c.is_ascii_whitespace() || c == b'&' {
                i += 1;
            } else if c == b';' {
                sources.clear();
                group.clear();
                i += 1;
            } else if let Some(len) = edge(&s[i..]) {
                sources = std::mem::take(&mut group);
                i += len;
            } else if let Some((len, node)) = self.node(&s[i..], line)? {
                for &from in &sources {
                    if self.edges.len() >= MAX_EDGES {
                        return None;
                    }
                    self.edges.push((from, node));
                }
                group.push(node);
                i += len;
            } else {
                // A character that starts neither an edge nor a node.
                i += s[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        Some(())
    }

    /// Reads a node reference at the start of `s`: its length and index, `Some(None)` when
    /// `s` does not start with one, `None` when the chart has too many nodes.
    fn node(&mut self, s: &'c str, line: u32) -> Option<Option<(usize, usize)>> {
        let id_len = s
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
            .map_or(s.len(), |(i, _)| i);
        if id_len == 0 {
            return Some(None);
        }
        let id = &s[..id_len];
        let (shape_len, label) = shape(&s[id_len..]);
        let mut len = id_len + shape_len;
        // `:::class` names a style, not a node.
        if let Some(rest) = s[len..].strip_prefix(":::") {
            len += 3 + rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
        }
        let index = match self.index.get(id) {
            Some(&k) => k,
            None => {
                if self.nodes.len() >= MAX_NODES {
                    return None;
                }
                self.index.insert(id, self.nodes.len());
                self.nodes.push(Read {
                    id,
                    label: None,
                    line,
                });
                self.nodes.len() - 1
            }
        };
        if let (Some(label), Some(node)) = (label, self.nodes.get_mut(index)) {
            if node.label.is_none() {
                node.label = Some((line, label));
            }
        }
        Some(Some((len, index)))
    }

    /// The nodes parent first, children after in edge order, each once at its depth in the
    /// walk: from each root (no edge in) in the order they were named, then from any node a
    /// cycle left unreached.
    fn walk(self) -> Vec<Node> {
        let n = self.nodes.len();
        let mut children = vec![Vec::new(); n];
        let mut has_parent = vec![false; n];
        for &(from, to) in &self.edges {
            if from != to {
                children[from].push(to);
                has_parent[to] = true;
            }
        }
        let roots = (0..n).filter(|&k| !has_parent[k]).chain(0..n);
        let mut seen = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let mut stack = Vec::new();
        for root in roots {
            stack.push((root, 0u8));
            while let Some((k, depth)) = stack.pop() {
                if std::mem::replace(&mut seen[k], true) {
                    continue;
                }
                order.push((k, depth));
                for &child in children[k].iter().rev() {
                    if !seen[child] {
                        stack.push((child, depth.saturating_add(1)));
                    }
                }
            }
        }
        order
            .into_iter()
            .map(|(k, depth)| {
                let node = &self.nodes[k];
                let mut text = LineText::default();
                let line = match node.label {
                    Some((line, label)) => {
                        html::push_inline(label, &mut text);
                        line
                    }
                    None => {
                        text.push(node.id);
                        node.line
                    }
                };
                Node { text, line, depth }
            })
            .collect()
    }
}

/// The first word of `s` and the rest after it.
fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    let end = s
        .find(|c: char| c.is_whitespace() || c == ';')
        .unwrap_or(s.len());
    (&s[..end], &s[end..])
}

/// Statements that declare no node: subgraphs, styling, interaction, accessibility.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "subgraph"
            | "end"
            | "direction"
            | "classDef"
            | "class"
            | "style"
            | "linkStyle"
            | "click"
            | "accTitle"
            | "accDescr"
            | "accTitle:"
            | "accDescr:"
    )
}

/// The length of the edge at the start of `s` (`-->`, `---`, `-.->`, `==>`, `<-->`, `~~~`,
/// `--o`, `-- text -->`), with its `|text|` label, or `None` when `s` does not start with one.
fn edge(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let run = |from: usize| {
        b[from..]
            .iter()
            .take_while(|c| matches!(c, b'-' | b'=' | b'.' | b'~' | b'<' | b'>'))
            .count()
    };
    let first = run(0);
    // An edge has at least two of its line characters (`--`, `==`, `-.`, `~~`).
    if b[..first]
        .iter()
        .filter(|c| matches!(c, b'-' | b'=' | b'.' | b'~'))
        .count()
        < 2
    {
        return None;
    }
    let mut len = first;
    // `--o` and `--x` end in a circle or a cross.
    if matches!(b.get(len), Some(b'o' | b'x'))
        && b.get(len + 1)
            .is_none_or(|c| c.is_ascii_whitespace() || *c == b';')
    {
        len += 1;
    }
    if matches!(&b[..first], b"--" | b"==" | b"-." | b"<--" | b"<==") && len == first {
        // `A -- text --> B`: the text runs to the edge's second half (`-->`, `==>`, `.->`).
        let mut from = len;
        loop {
            let i = from + s[from..].find(['-', '=', '.'])?;
            let rest = run(i);
            if rest >= 2 {
                len = i + rest;
                break;
            }
            from = i + 1;
        }
    }
    // `-->|text|`
    let spaces = b[len..].iter().take_while(|c| **c == b' ').count();
    if b.get(len + spaces) == Some(&b'|') {
        if let Some(end) = s[len + spaces + 1..].find('|') {
            len += spaces + 1 + end + 1;
        }
    }
    Some(len)
}

/// The shape after a node id (`[label]`, `(label)`, `([label])`, `[[label]]`, `((label))`,
/// `{label}`, `{{label}}`, `>label]`, `[/label/]`, `["quoted label"]`, `@{ label: "..." }`):
/// its length and label. `(0, None)` when there is none.
fn shape(s: &str) -> (usize, Option<&str>) {
    let b = s.as_bytes();
    let lead = b.iter().take_while(|c| **c == b' ').count();
    match b.get(lead) {
        Some(b'[' | b'(' | b'{') => {}
        Some(b'>') if lead == 0 => {}
        Some(b'@') if lead == 0 && b.get(1) == Some(&b'{') => {
            let end = s.find('}').map_or(s.len(), |i| i + 1);
            let label = s[..end].find("label:").and_then(|i| {
                let v = s[i + 6..end].trim_start();
                let v = v.strip_prefix('"')?;
                v.find('"').map(|j| &v[..j])
            });
            return (end, label);
        }
        _ => return (0, None),
    }
    let open_len = b[lead..]
        .iter()
        .take_while(|c| matches!(c, b'[' | b'(' | b'{' | b'>' | b'/' | b'\\'))
        .count();
    let innermost = b[lead + open_len - 1];
    let closers: &[char] = match innermost {
        b'(' => &[')'],
        b'{' => &['}'],
        b'/' | b'\\' => &['/', '\\'],
        _ => &[']'],
    };
    let body = lead + open_len;
    let rest = &s[body..];
    let (label, after) = match rest.trim_start().strip_prefix('"') {
        Some(quoted) => match quoted.find('"') {
            Some(q) => {
                let start = s.len() - quoted.len();
                (&s[start..start + q], start + q + 1)
            }
            None => (rest, s.len()),
        },
        None => {
            let end = rest.find(closers).map_or(s.len(), |i| body + i);
            (&s[body..end], end)
        }
    };
    let close = s[after..]
        .bytes()
        .take_while(|c| matches!(c, b']' | b')' | b'}' | b'/' | b'\\'))
        .count();
    let label = label.trim().trim_matches('`');
    (after + close, (!label.is_empty()).then_some(label))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(code: &str) -> Option<Vec<(u8, String, u32)>> {
        org_chart(code, 10).map(|nodes| {
            nodes
                .into_iter()
                .map(|n| {
                    let (text, _) = n.text.finish();
                    (n.depth, text, n.line)
                })
                .collect()
        })
    }

    #[test]
    fn shapes_give_their_labels() {
        assert_eq!(shape("[Jane]"), (6, Some("Jane")));
        assert_eq!(shape("([Jane]) --> B"), (8, Some("Jane")));
        assert_eq!(shape("{{Decide?}}"), (11, Some("Decide?")));
        assert_eq!(shape("[\"Jane (CEO)\"]"), (14, Some("Jane (CEO)")));
        assert_eq!(shape(">Flag]"), (6, Some("Flag")));
        assert_eq!(shape("[/Lean/]"), (8, Some("Lean")));
        assert_eq!(shape("@{ shape: rect, label: \"Ann\" }"), (30, Some("Ann")));
        assert_eq!(shape(" --> B"), (0, None));
    }

    #[test]
    fn edges_are_recognised_with_their_labels() {
        assert_eq!(edge("--> B"), Some(3));
        assert_eq!(edge("-->|Yes| B"), Some(8));
        assert_eq!(edge("-- reports to --> B"), Some(17));
        assert_eq!(edge("-.-> B"), Some(4));
        assert_eq!(edge("==> B"), Some(3));
        assert_eq!(edge("--- B"), Some(3));
        assert_eq!(edge("--o B"), Some(3));
        assert_eq!(edge("- B"), None);
        assert_eq!(edge("B"), None);
    }

    #[test]
    fn a_tree_reads_parent_first_with_depths() {
        let got = chart(
            "graph TD\n  A[CEO] --> B[CTO]\n  A --> C[CFO]\n  B --> D[Dev lead]\n  %% c\n  classDef x fill:#f9f\n",
        );
        assert_eq!(
            got,
            Some(vec![
                (0, "CEO".into(), 11),
                (1, "CTO".into(), 11),
                (2, "Dev lead".into(), 13),
                (1, "CFO".into(), 12),
            ])
        );
    }

    #[test]
    fn groups_and_chains_link_every_node() {
        let got = chart("flowchart LR\nA[Board] --> B[CEO] & C[Auditor]; B --> D[Ops]\n").unwrap();
        let depths: Vec<(u8, &str)> = got.iter().map(|(d, t, _)| (*d, t.as_str())).collect();
        assert_eq!(
            depths,
            vec![(0, "Board"), (1, "CEO"), (2, "Ops"), (1, "Auditor")]
        );
    }

    #[test]
    fn other_diagrams_and_bare_ids_are_not_charts() {
        assert!(chart("sequenceDiagram\nA->>B: hi\n").is_none());
        assert!(chart("graph TD\nA --> B\n").is_none());
        assert!(chart("").is_none());
    }

    proptest::proptest! {
        #[test]
        fn any_code_reads_without_panicking(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "graph TD\n", "flowchart LR\n", "A", "B", "é", "[", "]", "(", ")", "{",
                    "}", "\"", "-->", "--", "-.", "==", "|", "&", ";", " ", "\n", "<br>", "@{",
                    "label:", ":::", ">", "/", "\\", "o", "x", "subgraph ", "end",
                ]),
                0..40,
            )
        ) {
            let code: String = pieces.concat();
            if let Some(nodes) = org_chart(&code, 1) {
                proptest::prop_assert!(!nodes.is_empty());
            }
        }
    }

    #[test]
    fn a_cycle_is_walked_once() {
        let got = chart("graph TD\nA[One] --> B[Two]\nB --> A\n").unwrap();
        assert_eq!(got.len(), 2);
    }
}
