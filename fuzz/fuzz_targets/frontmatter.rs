//! Front-matter splitting and content page parsing: never a panic, and the body a
//! successful split returns is a part of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok((front, body)) = glyph::metadata::frontmatter::split(text) {
            assert!(text.contains(body));
            if let Some(front) = front {
                assert!(text.contains(front));
            }
        }
        let _ = glyph::metadata::frontmatter::parse_page(text);
    }
});
