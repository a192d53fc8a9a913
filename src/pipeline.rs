//! The pipeline: walk, read, map, merge, check and report for one client (`import`) or many
//! (`batch`). Progress goes through the [`Observer`] trait; the library never prints.

/// Receives progress events; the binary implements it with progress bars.
pub trait Observer: Sync {
    /// A file was read (or failed to be).
    fn file_done(&self, _client: &str, _file: &str, _ok: bool) {}
}
