//! sniff reader (to be written).

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A zip container.
    Zip,
}

/// Looks at the first bytes of a file.
pub fn sniff(_bytes: &[u8]) -> Sniffed {
    Sniffed::Zip
}
