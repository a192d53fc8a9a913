//! What the reader benches share: a small deterministic generator of filler text.

/// The filler vocabulary.
pub const WORDS: &[&str] = &[
    "service",
    "management",
    "incident",
    "change",
    "the",
    "of",
    "and",
    "customer",
    "supplier",
    "request",
    "availability",
    "capacity",
    "continuity",
    "policy",
    "process",
    "owner",
    "shall",
    "review",
    "report",
    "agreement",
    "level",
    "desk",
    "release",
    "deployment",
    "configuration",
    "problem",
    "security",
    "budget",
    "improvement",
    "audit",
];

/// A linear congruential generator: deterministic filler, no `rand` dependency.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next 31-bit value.
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    /// A value in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// `min` to `min + spread - 1` words of filler.
    pub fn sentence(&mut self, min: u64, spread: u64) -> String {
        let n = min + self.below(spread);
        (0..n)
            .map(|_| WORDS[self.below(WORDS.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }
}
