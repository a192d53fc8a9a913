//! Containment of panics at the boundaries where one bad file or client must not stop the run:
//! a reader's file, a document's mapping, a batch's client.
//!
//! [`contain`] runs a closure, turns a panic into its message, and marks the thread as
//! "containing" while it runs, so the binary's panic hook can stay quiet for panics that are
//! reported elsewhere (as an unreadable file or a failed client) and still print the ones that
//! would end the process.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`; a panic inside it becomes `Err(message)`.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    DEPTH.with(|d| d.set(d.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    outcome.map_err(|payload| message(payload.as_ref()))
}

/// Whether the current thread is inside [`contain`]: a panic here will be reported, not fatal.
pub fn is_contained() -> bool {
    DEPTH.with(Cell::get) > 0
}

/// The text of a panic payload.
pub fn message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_the_mark_is_cleared() {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r: Result<(), String> = contain(|| {
            assert!(is_contained());
            panic!("boom {}", 42)
        });
        std::panic::set_hook(prev);
        assert_eq!(r, Err("boom 42".to_string()));
        assert!(!is_contained());
        assert_eq!(contain(|| 7), Ok(7));
    }
}
