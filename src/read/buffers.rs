//! Byte buffers reused from file to file and from part to part on one thread: the file's bytes
//! and each inflated part are read into a buffer taken here and given back once parsed, so a run
//! over many files does not allocate and free a large block for every part.
//!
//! Takes the size a caller is about to fill; gives an empty buffer of at least that capacity (a
//! fresh one, exactly that size, when none kept is large enough). Keeps at most [`KEPT`] buffers
//! of at most [`KEEP_MAX`] bytes each per thread, so what stays allocated between files is small
//! and bounded. Must not change what is read: a buffer comes back empty (or, from
//! [`take_filled`], exactly as long as asked, its stale bytes to be overwritten), and capacity
//! beyond what was asked for is never used as permission to read more (callers keep their own
//! limits).

use std::cell::RefCell;

/// How many buffers a thread keeps.
const KEPT: usize = 4;
/// The largest buffer kept; larger ones are freed as before.
const KEEP_MAX: usize = 4 * 1024 * 1024;

thread_local! {
    static POOL: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// An empty buffer with room for at least `size` bytes: the smallest kept buffer that is large
/// enough, else a new one of exactly `size` (`None` when that allocation fails).
pub(crate) fn take(size: usize) -> Option<Vec<u8>> {
    let mut buf = take_kept(size)?;
    buf.clear();
    Some(buf)
}

/// A buffer of exactly `size` bytes, for a writer that fills a slice (the inflater): the bytes a
/// kept buffer held when it was given back are left as they were (only what lies beyond them is
/// zeroed), so a reused buffer costs no `memset`. The caller must overwrite what it keeps and
/// truncate the rest away: the bytes are not meaningful.
pub(crate) fn take_filled(size: usize) -> Option<Vec<u8>> {
    let mut buf = take_kept(size)?;
    if buf.len() >= size {
        buf.truncate(size);
    } else {
        buf.resize(size, 0);
    }
    Some(buf)
}

/// The smallest kept buffer with room for `size` bytes, as it was given back; else a new empty
/// one of exactly that capacity.
fn take_kept(size: usize) -> Option<Vec<u8>> {
    let kept = POOL.with(|cell| {
        let mut pool = cell.try_borrow_mut().ok()?;
        let best = pool
            .iter()
            .enumerate()
            .filter(|(_, b)| b.capacity() >= size)
            .min_by_key(|(_, b)| b.capacity())
            .map(|(i, _)| i)?;
        Some(pool.swap_remove(best))
    });
    if let Some(buf) = kept {
        return Some(buf);
    }
    let mut buf = Vec::new();
    buf.try_reserve_exact(size).ok()?;
    Some(buf)
}

/// Gives a buffer back once nothing refers to its bytes. Too large a buffer is freed; when the
/// thread already keeps [`KEPT`], the smallest of them and this one is freed.
pub(crate) fn give(buf: Vec<u8>) {
    if buf.capacity() == 0 || buf.capacity() > KEEP_MAX {
        return;
    }
    // Kept with its length: [`take`] empties it, [`take_filled`] reuses the bytes as room.
    POOL.with(|cell| {
        let Ok(mut pool) = cell.try_borrow_mut() else {
            return;
        };
        if pool.len() < KEPT {
            pool.push(buf);
            return;
        }
        if let Some(smallest) = pool.iter_mut().min_by_key(|b| b.capacity()) {
            if smallest.capacity() < buf.capacity() {
                *smallest = buf;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::{give, take, take_filled, KEEP_MAX, KEPT};

    #[test]
    fn a_given_buffer_comes_back_empty_and_large_enough() {
        let mut b = take(1000).unwrap();
        b.extend_from_slice(b"abc");
        let ptr = b.as_ptr();
        give(b);
        let again = take(500).unwrap();
        assert!(again.is_empty());
        assert!(again.capacity() >= 1000);
        assert_eq!(again.as_ptr(), ptr);
        give(again);
        // Too small a kept buffer is not handed out for a larger request.
        let big = take(5000).unwrap();
        assert!(big.capacity() >= 5000);
        assert!(big.is_empty());
    }

    #[test]
    fn a_filled_buffer_is_exactly_as_long_as_asked() {
        let mut b = take(64).unwrap();
        b.extend_from_slice(&[7; 64]);
        let ptr = b.as_ptr();
        give(b);
        // Shorter than what the kept buffer held: cut, no new memory.
        let f = take_filled(10).unwrap();
        assert_eq!(f.len(), 10);
        assert_eq!(f.as_ptr(), ptr);
        give(f);
        // Longer than what it held (10 bytes now) but within its room: the rest is zeroed.
        let f = take_filled(40).unwrap();
        assert_eq!(f.len(), 40);
        assert_eq!(f.as_ptr(), ptr);
        assert!(f[10..].iter().all(|&b| b == 0));
        give(f);
        // An empty buffer is still empty, whatever the kept one held.
        let e = take(40).unwrap();
        assert!(e.is_empty());
        give(e);
        // More than any kept buffer holds: a new one, zeroed.
        let big = take_filled(1 << 16).unwrap();
        assert_eq!(big.len(), 1 << 16);
        assert!(big.iter().all(|&b| b == 0));
    }

    #[test]
    fn the_pool_stays_bounded() {
        for _ in 0..KEPT * 3 {
            give(Vec::with_capacity(100));
        }
        give(Vec::with_capacity(KEEP_MAX + 1));
        let kept =
            super::POOL.with(|p| p.borrow().iter().map(Vec::capacity).collect::<Vec<usize>>());
        assert!(kept.len() <= KEPT);
        assert!(kept.iter().all(|&c| c <= KEEP_MAX));
    }
}
