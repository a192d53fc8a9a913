//! What the reader benches share: a small deterministic generator of filler text, and a
//! clock of the thread's CPU time.

use std::time::{Duration, Instant};

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

/// Time this thread has spent on a CPU (Linux `schedstat`); wall time where that is not
/// available.
pub struct Clock {
    wall: Instant,
    cpu: Option<u64>,
}

fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Clock {
    /// Starts timing.
    pub fn start() -> Clock {
        Clock {
            wall: Instant::now(),
            cpu: cpu_ns(),
        }
    }
    /// Time since [`Clock::start`].
    pub fn elapsed(&self) -> Duration {
        match (self.cpu, cpu_ns()) {
            (Some(a), Some(b)) => Duration::from_nanos(b.saturating_sub(a)),
            _ => self.wall.elapsed(),
        }
    }
}
