//! Running a target with its panic caught: the message and where it was raised, so that a
//! finding names the line of the project that panicked.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// The last panic's text as the hook saw it (`panicked at file:line:col:\nmessage`).
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the process's panic hook with one that prints nothing and keeps the panic's
/// location for `catch`. Without it a caught panic is still reported, by its message alone,
/// and the default hook prints it as well.
pub fn quiet_panics() {
    panic::set_hook(Box::new(|info| {
        LAST.with(|l| *l.borrow_mut() = Some(info.to_string()));
    }));
}

/// Runs `f`; a panic becomes its text, `file:line:col: message` when `quiet_panics` is on.
pub fn catch(f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    LAST.with(|l| l.borrow_mut().take());
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(outcome) => outcome,
        Err(payload) => {
            let seen = LAST.with(|l| l.borrow_mut().take());
            let text = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic without a message".into());
            Err(match seen {
                Some(s) => s
                    .strip_prefix("panicked at ")
                    .unwrap_or(&s)
                    .replacen(":\n", ": ", 1),
                None => text,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_an_error_stays_one() {
        assert_eq!(catch(|| Ok(())), Ok(()));
        assert_eq!(catch(|| Err("stuck".into())), Err("stuck".into()));
        let e = catch(|| panic!("index {} out of range", 9)).unwrap_err();
        assert!(e.ends_with("index 9 out of range"), "{e}");
    }
}
