//! Cross-crate integration tests live in `tests/` of this crate (see `integration/`); this
//! library is empty on purpose.
