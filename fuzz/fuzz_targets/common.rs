//! Shared by the targets: panics that the library catches and reports (a third-party
//! decoder failing on one page) are not crashes, so the panic hook is made silent; a
//! panic that escapes, an abort, a leak past the memory limit or a hang is one.

pub fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}
