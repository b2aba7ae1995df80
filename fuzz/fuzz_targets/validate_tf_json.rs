//! cargo-fuzz target; the body is `symflow::fuzz_targets::validate_tf_json`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    symflow::fuzz_targets::validate_tf_json(data);
});
