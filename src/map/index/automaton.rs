//! The literal prefilter's automaton: takes literals (bytes, each found either exactly or in
//! any ASCII case) and gives, for one text, every literal that stands in it, in one pass over
//! the text with one table look-up per byte.
//!
//! It is an Aho-Corasick automaton built as a full DFA over byte classes, with ASCII case
//! folded into the classes: one automaton serves both kinds of literal, and an exact literal is
//! checked byte for byte where the folded one ends. States that report a literal are numbered
//! last, so the loop over a text's bytes makes one comparison to see that there is nothing to
//! report. The table is stored class by class, in two bytes a state when the states allow, so
//! that the states a text mostly stays in take few cache lines; each byte finds its class's
//! column before the state it leaves is known. Must not decide what a literal means for a
//! rule (the filter in `index.rs` does).

/// Most table entries (states times byte classes) an automaton may have: 64 MiB of table.
/// Past it, [`Automaton::new`] gives `None` and the filter runs every rule on every text.
const MAX_ENTRIES: usize = 1 << 24;

/// Marks a trie edge not yet made while building.
const NONE: u32 = u32::MAX;

/// The transition table, in two bytes a state when every state number fits (half the cache
/// lines of four bytes).
#[derive(Debug, Clone)]
enum Table {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// The automaton (see the module docs).
#[derive(Debug, Clone)]
pub(crate) struct Automaton {
    /// Byte -> where its class's column starts in `trans` (the class times the number of
    /// states). An ASCII capital shares its small letter's class, and every byte that no
    /// literal holds is class 0.
    columns: [u32; 256],
    /// Column by column (one per byte class), per state: the next state. State 0 is the
    /// start. The states that follow a class stand side by side, so the few states a text
    /// mostly stays in take a few cache lines per class.
    trans: Table,
    /// States from this one on report literals; those before report none.
    first_match: u32,
    /// Per reporting state, in order: the one word of bits it sets when it reports only
    /// literals in any ASCII case, all in one word of a literal set (set within the scan's
    /// loop); else `(u32::MAX, 0)` (the loop stops there and [`Automaton::report`] sets them).
    quick: Vec<(u32, u64)>,
    /// Per reporting state, in order, then one more: where its marks start in `marks` and its
    /// exact literals in `exact`.
    starts: Vec<(u32, u32)>,
    /// The literals in any ASCII case that end in a reporting state, as bits to set in a
    /// literal set: (word, bits), one per word.
    marks: Vec<(u32, u64)>,
    /// The exact literals that end in a reporting state (set where their bytes stand exactly).
    exact: Vec<u32>,
    /// Per literal: its bytes, and whether they must stand exactly (else in any ASCII case).
    literals: Vec<(Vec<u8>, bool)>,
}

impl Automaton {
    /// An automaton finding each of `literals` (numbered by position; bytes in ASCII lower case
    /// unless exact). `None` when a literal is empty or the table would pass [`MAX_ENTRIES`].
    pub(crate) fn new(literals: &[(Vec<u8>, bool)]) -> Option<Automaton> {
        if literals.iter().any(|(b, _)| b.is_empty()) || u32::try_from(literals.len()).is_err() {
            return None;
        }
        let mut classes = [0u8; 256];
        let mut used = [false; 256];
        for (bytes, _) in literals {
            for b in bytes {
                used[usize::from(b.to_ascii_lowercase())] = true;
            }
        }
        // Class 0 for bytes no literal holds, then one per byte a literal holds (an ASCII
        // letter in its small form, counted once).
        let mut stride: u32 = 1;
        for (class, _) in classes.iter_mut().zip(used).filter(|(_, u)| *u) {
            *class = u8::try_from(stride).ok()?;
            stride += 1;
        }
        for b in b'A'..=b'Z' {
            classes[usize::from(b)] = classes[usize::from(b.to_ascii_lowercase())];
        }
        let width = stride as usize;

        // The trie: per state a row of edges (NONE where there is none) and its own literals.
        let mut goto: Vec<u32> = vec![NONE; width];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        for (id, (bytes, _)) in literals.iter().enumerate() {
            let mut s = 0usize;
            for b in bytes {
                let c = usize::from(classes[usize::from(*b)]);
                let at = s * width + c;
                let next = goto.get(at).copied().unwrap_or(NONE);
                s = if next == NONE {
                    let n = own.len();
                    if (n + 1) * width > MAX_ENTRIES {
                        return None;
                    }
                    own.push(Vec::new());
                    goto.resize((n + 1) * width, NONE);
                    if let Some(e) = goto.get_mut(at) {
                        *e = u32::try_from(n).ok()?;
                    }
                    n
                } else {
                    next as usize
                };
            }
            if let Some(o) = own.get_mut(s) {
                o.push(u32::try_from(id).ok()?);
            }
        }

        // Breadth first: each state's failure (the longest proper suffix that is a trie state),
        // its missing edges from its failure's (already complete) row, and every literal that
        // ends in it (its own, then its failure's).
        let states = own.len();
        let mut fail: Vec<u32> = vec![0; states];
        let mut order: Vec<u32> = Vec::with_capacity(states);
        order.push(0);
        let mut head = 0;
        while let Some(&s) = order.get(head) {
            head += 1;
            let s = s as usize;
            let f = fail.get(s).copied().unwrap_or(0) as usize;
            for c in 0..width {
                let next = goto.get(s * width + c).copied().unwrap_or(0);
                let via_fail = if s == 0 {
                    0
                } else {
                    goto.get(f * width + c).copied().unwrap_or(0)
                };
                if next == NONE {
                    if let Some(e) = goto.get_mut(s * width + c) {
                        *e = via_fail;
                    }
                    continue;
                }
                let child = next as usize;
                if let Some(cf) = fail.get_mut(child) {
                    *cf = via_fail;
                }
                let inherited = own.get(via_fail as usize).cloned().unwrap_or_default();
                if let Some(o) = own.get_mut(child) {
                    o.extend(inherited);
                }
                order.push(next);
            }
        }

        // Renumber: the start first, then the states reporting nothing, then the others.
        let mut rank: Vec<u32> = vec![0; states];
        let mut next_rank: u32 = 0;
        for pass_reports in [false, true] {
            for &s in &order {
                let reports = own.get(s as usize).is_some_and(|o| !o.is_empty());
                if reports == pass_reports {
                    if let Some(r) = rank.get_mut(s as usize) {
                        *r = next_rank;
                    }
                    next_rank += 1;
                }
            }
        }
        let quiet = order
            .iter()
            .filter(|&&s| own.get(s as usize).is_some_and(Vec::is_empty))
            .count();
        let mut trans: Vec<u32> = vec![0; states * width];
        let mut by_rank: Vec<u32> = vec![0; states];
        for (s, &r) in rank.iter().enumerate() {
            if let Some(slot) = by_rank.get_mut(r as usize) {
                *slot = u32::try_from(s).ok()?;
            }
        }
        for s in 0..states {
            let r = rank.get(s).copied().unwrap_or(0) as usize;
            for c in 0..width {
                let to = goto.get(s * width + c).copied().unwrap_or(0) as usize;
                let to_rank = rank.get(to).copied().unwrap_or(0);
                if let Some(e) = trans.get_mut(c * states + r) {
                    *e = to_rank;
                }
            }
        }
        let mut starts = Vec::with_capacity(states - quiet + 1);
        let mut marks: Vec<(u32, u64)> = Vec::new();
        let mut exact = Vec::new();
        for &s in by_rank.get(quiet..).unwrap_or(&[]) {
            starts.push((
                u32::try_from(marks.len()).ok()?,
                u32::try_from(exact.len()).ok()?,
            ));
            let from = marks.len();
            for &id in own.get(s as usize).map_or(&[][..], Vec::as_slice) {
                if literals.get(id as usize).is_some_and(|(_, e)| *e) {
                    exact.push(id);
                    continue;
                }
                let (word, bit) = (id / 64, 1u64 << (id % 64));
                match marks
                    .get_mut(from..)
                    .and_then(|m| m.iter_mut().find(|m| m.0 == word))
                {
                    Some(m) => m.1 |= bit,
                    None => marks.push((word, bit)),
                }
            }
        }
        starts.push((
            u32::try_from(marks.len()).ok()?,
            u32::try_from(exact.len()).ok()?,
        ));
        let quick = starts
            .windows(2)
            .map(|w| match w {
                [(m0, e0), (m1, e1)] if *m1 == *m0 + 1 && e1 == e0 => {
                    marks.get(*m0 as usize).copied().unwrap_or((u32::MAX, 0))
                }
                _ => (u32::MAX, 0),
            })
            .collect();
        let mut columns = [0u32; 256];
        for (column, &class) in columns.iter_mut().zip(&classes) {
            *column = u32::try_from(usize::from(class) * states).ok()?;
        }
        let trans = if u16::try_from(states).is_ok() {
            Table::Narrow(trans.iter().map(|&t| t as u16).collect())
        } else {
            Table::Wide(trans)
        };
        Some(Automaton {
            columns,
            trans,
            first_match: u32::try_from(quiet).ok()?,
            quick,
            starts,
            marks,
            exact,
            literals: literals.to_vec(),
        })
    }

    /// Words of a literal set: bit `id % 64` of word `id / 64` stands for literal `id`.
    pub(crate) fn words(&self) -> usize {
        self.literals.len().div_ceil(64)
    }

    /// Sets in `found` (a literal set of [`Automaton::words`] words) the bit of every literal
    /// that stands in `text`. Whether it may have set any (else `found` is as it was).
    #[inline]
    pub(crate) fn mark(&self, text: &[u8], found: &mut [u64]) -> bool {
        let mut s: usize = 0;
        let mut rest = text.iter();
        let mut any = false;
        while let Some(next) = self.advance(&mut rest, s, found, &mut any) {
            s = next;
            any = true;
            let end = text.len().wrapping_sub(rest.as_slice().len() + 1);
            self.report(s, text, end, found);
        }
        any
    }

    /// Runs from state `s` over `rest` to the next reporting state that is not quick (`None`
    /// at the end of the text), setting the bits of the quick ones in `found` on the way (and
    /// `any` when it does). Not inlined, so that the table and the state stay in registers in
    /// its loop.
    #[inline(never)]
    fn advance(
        &self,
        rest: &mut std::slice::Iter<'_, u8>,
        s: usize,
        found: &mut [u64],
        any: &mut bool,
    ) -> Option<usize> {
        let quick = Quick {
            first_match: self.first_match as usize,
            quick: &self.quick,
            found,
            any,
        };
        match &self.trans {
            Table::Narrow(t) => run(t, &self.columns, quick, rest, s),
            Table::Wide(t) => run(t, &self.columns, quick, rest, s),
        }
    }

    /// Sets the bits of the literals reporting state `s` reports at `end` (the index of the
    /// last byte): an exact literal's only where its bytes stand exactly.
    #[inline]
    fn report(&self, s: usize, text: &[u8], end: usize, found: &mut [u64]) {
        // The state's place among the reporting states.
        let k = s.wrapping_sub(self.first_match as usize);
        let (Some(&(m0, e0)), Some(&(m1, e1))) = (self.starts.get(k), self.starts.get(k + 1))
        else {
            return;
        };
        for &(word, bits) in self.marks.get(m0 as usize..m1 as usize).unwrap_or(&[]) {
            if let Some(w) = found.get_mut(word as usize) {
                *w |= bits;
            }
        }
        for &id in self.exact.get(e0 as usize..e1 as usize).unwrap_or(&[]) {
            let Some((bytes, _)) = self.literals.get(id as usize) else {
                continue;
            };
            let start = (end + 1).wrapping_sub(bytes.len());
            if text.get(start..=end) == Some(bytes.as_slice()) {
                if let Some(w) = found.get_mut((id / 64) as usize) {
                    *w |= 1 << (id % 64);
                }
            }
        }
    }

    /// Bytes of table and lists the automaton holds.
    #[cfg(test)]
    pub(crate) fn memory(&self) -> usize {
        let table = match &self.trans {
            Table::Narrow(t) => t.len() * 2,
            Table::Wide(t) => t.len() * 4,
        };
        table
            + self.quick.len() * 12
            + self.starts.len() * 8
            + self.marks.len() * 12
            + self.exact.len() * 4
    }
}

/// A table entry: a state number.
trait State: Copy {
    fn get(self) -> usize;
}

impl State for u16 {
    fn get(self) -> usize {
        usize::from(self)
    }
}

impl State for u32 {
    fn get(self) -> usize {
        self as usize
    }
}

/// [`Automaton::advance`] over a table of entries `T`.
#[inline(always)]
fn run<T: State>(
    trans: &[T],
    columns: &[u32; 256],
    quick: Quick<'_>,
    rest: &mut std::slice::Iter<'_, u8>,
    mut s: usize,
) -> Option<usize> {
    let Quick {
        first_match,
        quick,
        found,
        any,
    } = quick;
    // The byte's column is found before the state is known: what waits on one look-up is
    // an addition and the next look-up (the bounds check is a branch, off that path).
    let step = |s: usize, b: u8| {
        let at = (columns[usize::from(b)] as usize).wrapping_add(s);
        trans.get(at).map_or(0, |next| next.get())
    };
    let mut bytes = rest.as_slice();
    // Four bytes a turn (one loop test for four), then the last few.
    while let Some((chunk, tail)) = bytes.split_first_chunk::<4>() {
        for (i, &b) in chunk.iter().enumerate() {
            s = step(s, b);
            if s >= first_match && !quick_report(quick, s - first_match, found, any) {
                *rest = bytes.get(i + 1..).unwrap_or(&[]).iter();
                return Some(s);
            }
        }
        bytes = tail;
    }
    let mut bytes = bytes.iter();
    for &b in bytes.by_ref() {
        s = step(s, b);
        if s >= first_match && !quick_report(quick, s - first_match, found, any) {
            *rest = bytes;
            return Some(s);
        }
    }
    None
}

/// Sets the bits of reporting state `k` (counted from the first) when it is quick: whether
/// it was.
#[inline(always)]
fn quick_report(quick: &[(u32, u64)], k: usize, found: &mut [u64], any: &mut bool) -> bool {
    let q = quick.get(k).copied();
    match q.and_then(|(w, bits)| Some((found.get_mut(w as usize)?, bits))) {
        Some((f, bits)) => {
            *f |= bits;
            *any = true;
            true
        }
        None => false,
    }
}

/// What [`run`] needs for the quick reporting states (see [`Automaton::advance`]).
struct Quick<'a> {
    first_match: usize,
    quick: &'a [(u32, u64)],
    found: &'a mut [u64],
    any: &'a mut bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every literal standing in `text`, by a plain search: exact literals byte for byte, the
    /// others in the text with ASCII letters lowered.
    fn naive(literals: &[(Vec<u8>, bool)], text: &[u8]) -> Vec<u32> {
        let lower = text.to_ascii_lowercase();
        let mut out = Vec::new();
        for (id, (bytes, exact)) in literals.iter().enumerate() {
            let hay = if *exact { text } else { &lower[..] };
            if hay.windows(bytes.len()).any(|w| w == bytes.as_slice()) {
                out.push(id as u32);
            }
        }
        out
    }

    /// The literals [`Automaton::mark`] finds in `text`, in order.
    fn found(a: &Automaton, text: &[u8]) -> Vec<u32> {
        let mut set = vec![0u64; a.words()];
        let any = a.mark(text, &mut set);
        let mut out = Vec::new();
        for (w, bits) in set.iter().enumerate() {
            for b in 0..64 {
                if bits & (1 << b) != 0 {
                    out.push((w * 64 + b) as u32);
                }
            }
        }
        assert!(any || out.is_empty(), "a literal found says so");
        out
    }

    fn literal() -> impl Strategy<Value = (Vec<u8>, bool)> {
        (
            proptest::collection::vec(
                prop_oneof![
                    Just(b'a'),
                    Just(b'b'),
                    Just(b'S'),
                    Just(b's'),
                    Just(b' '),
                    Just(0u8),
                    Just(0xC5u8),
                    Just(0xBFu8),
                    Just(0xE2u8),
                ],
                1..5,
            ),
            any::<bool>(),
        )
            .prop_map(|(bytes, exact)| {
                if exact {
                    (bytes, true)
                } else {
                    (bytes.to_ascii_lowercase(), false)
                }
            })
    }

    proptest! {
        #[test]
        fn finds_every_literal_where_a_plain_search_does(
            literals in proptest::collection::vec(literal(), 1..12),
            text in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b'A'), Just(b'b'), Just(b'B'), Just(b'S'), Just(b's'),
                    Just(b' '), Just(0u8), Just(0xC5u8), Just(0xBFu8), Just(0xE2u8), Just(b'z'),
                ],
                0..40,
            ),
        ) {
            let a = Automaton::new(&literals);
            prop_assert!(a.is_some());
            if let Some(a) = a {
                prop_assert_eq!(found(&a, &text), naive(&literals, &text));
            }
        }
    }

    proptest! {
        /// Many byte classes and states: every column of the table, and the reporting states'
        /// places, must be right for any number of classes.
        #[test]
        fn finds_literals_over_every_byte(
            literals in proptest::collection::vec(
                (proptest::collection::vec(any::<u8>(), 1..6), any::<bool>()),
                1..80,
            ),
            picks in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<bool>()), 0..30),
        ) {
            let literals: Vec<(Vec<u8>, bool)> = literals
                .into_iter()
                .map(|(b, exact)| if exact { (b, true) } else { (b.to_ascii_lowercase(), false) })
                .collect();
            // Texts of the literals themselves (some in upper case) with stray bytes between.
            let mut text = Vec::new();
            for (i, byte, upper) in picks {
                let (bytes, _) = &literals[i % literals.len()];
                if upper {
                    text.extend(bytes.to_ascii_uppercase());
                } else {
                    text.extend_from_slice(bytes);
                }
                text.push(byte);
            }
            let a = Automaton::new(&literals);
            prop_assert!(a.is_some());
            if let Some(a) = a {
                prop_assert_eq!(found(&a, &text), naive(&literals, &text));
            }
        }
    }

    #[test]
    fn overlapping_and_nested_literals_are_all_found() {
        let literals: Vec<(Vec<u8>, bool)> = vec![
            (b"service".to_vec(), false),
            (b"service management".to_vec(), false),
            (b"management".to_vec(), false),
            (b"age".to_vec(), false),
            (b"SE".to_vec(), true),
            (b"Inc".to_vec(), true),
        ];
        let a = Automaton::new(&literals).unwrap_or_else(|| panic!("builds"));
        let text = b"IT SERVICE Management at Acme Inc, inc. SE";
        assert_eq!(found(&a, text), naive(&literals, text));
        assert_eq!(found(&a, text), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(
            found(&a, b"we use a service desk"),
            vec![0],
            "`SE` in capitals"
        );
        assert!(a.memory() > 0);
    }

    /// More states than two bytes can number: the table is kept in four bytes a state and
    /// finds the same literals.
    #[test]
    fn more_states_than_two_bytes_number() {
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let literals: Vec<(Vec<u8>, bool)> = (0..16_000)
            .map(|i| {
                let bytes: Vec<u8> = (0..10).map(|_| b'a' + (next() % 16) as u8).collect();
                (bytes, i % 50 == 0)
            })
            .collect();
        let a = Automaton::new(&literals).unwrap_or_else(|| panic!("builds"));
        assert!(matches!(a.trans, Table::Wide(_)), "past 65,536 states");
        let mut text = Vec::new();
        for _ in 0..200 {
            let (bytes, _) = &literals[(next() % 16_000) as usize];
            text.extend_from_slice(bytes);
            text.push(b'a' + (next() % 17) as u8);
        }
        text.extend((0..2_000).map(|_| b'a' + (next() % 16) as u8));
        assert_eq!(found(&a, &text), naive(&literals, &text));
        let small = Automaton::new(&literals[..10]).unwrap_or_else(|| panic!("builds"));
        assert!(matches!(small.trans, Table::Narrow(_)));
    }

    #[test]
    fn no_literal_or_an_empty_one() {
        let a = Automaton::new(&[]).unwrap_or_else(|| panic!("builds"));
        assert!(found(&a, b"anything at all").is_empty());
        assert!(Automaton::new(&[(Vec::new(), false)]).is_none());
    }
}
