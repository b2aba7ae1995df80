//! cargo-fuzz target; the body is `symflow::fuzz_targets::symtest_parse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    symflow::fuzz_targets::symtest_parse(data);
});
