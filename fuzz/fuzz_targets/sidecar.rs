//! Sidecar parsing: any bytes give a `Sidecar` or a positioned error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(d) = glyph::metadata::parse_sidecar(text) {
            // Positions point inside the text: one-based, at most its last line (lines
            // end at \n, \r\n or a lone \r, as in YAML and editors).
            if let Some(line) = d.line {
                let lines = text.split("\r\n").flat_map(|l| l.split(['\n', '\r'])).count();
                assert!(line >= 1 && line <= lines.max(1), "{d:?}");
            }
        }
    }
});
