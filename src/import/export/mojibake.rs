//! Instagram's JSON writes every string's UTF-8 bytes as one `\u00XX` escape each, so
//! "Un Taxi 🇨🇴" arrives as "Un Taxi \u00f0\u009f\u0087\u00a8…": after JSON decoding,
//! a string of characters U+0080..U+00FF that are really bytes.
//!
//! The repair is safe to apply to every string: it is done only when every character
//! fits in a byte and those bytes are valid UTF-8. A genuine Latin-1 text ("Café" with
//! a real U+00E9) is not valid UTF-8 as bytes, so it is kept as it is, and so is any
//! string holding a character above U+00FF, which Instagram's encoding never makes.

use std::borrow::Cow;

pub(crate) fn repair(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let bytes: Option<Vec<u8>> = s.chars().map(|c| u8::try_from(c).ok()).collect();
    match bytes.map(String::from_utf8) {
        Some(Ok(fixed)) => Cow::Owned(fixed),
        _ => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Instagram writes for `text`: each UTF-8 byte as a char.
    fn garble(text: &str) -> String {
        text.bytes().map(char::from).collect()
    }

    #[test]
    fn repairs_emoji_and_every_script() {
        for text in [
            "Un Taxi 🇨🇴",
            "Café Central — Wien, Österreich 🇦🇹",
            "Bar Pinotxo - Barcelona, España.",
            "Harpa, Reykjavík, Ísland",
            "渋谷駅 – 東京, 日本",
        ] {
            assert_eq!(repair(&garble(text)), text);
        }
        assert_eq!(
            repair("Un Taxi \u{f0}\u{9f}\u{87}\u{a8}\u{f0}\u{9f}\u{87}\u{b4}"),
            "Un Taxi 🇨🇴"
        );
    }

    #[test]
    fn keeps_text_that_is_not_mojibake() {
        // Real Latin-1 characters: as bytes, not UTF-8.
        assert_eq!(repair("Café Ísland"), "Café Ísland");
        // Already proper text above U+00FF.
        assert_eq!(repair("東京 🇯🇵"), "東京 🇯🇵");
        assert!(matches!(repair("plain"), Cow::Borrowed("plain")));
    }
}
