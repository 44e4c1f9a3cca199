//! Fuzz target: `jobtrend_fuzz::keywords_roles` (see `tests/fuzz/checks.rs` for what it runs and asserts).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jobtrend_fuzz::keywords_roles(data);
});
