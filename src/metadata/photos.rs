//! A sign's photos: the sidecar's `photos:` list (the photos after the cover, as
//! README.md's "A sidecar" describes it) and the photos of a merged sign.
//!
//! A listed name is checked while parsing (relative, inside the sidecar's folder), so
//! its error has the entry's line; which file it names, and whether that file can be
//! claimed, is decided with the scan (`scan::claims`).

use std::fmt;
use std::path::PathBuf;

use serde::de::{self, value::MapAccessDeserializer, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::text::Text;
use super::PhotoFacts;

/// One entry of `photos:`: a file name, or a mapping `{file, alt}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoItem {
    /// Relative to the sidecar's folder, `/`-separated, as written.
    pub file: String,
    /// The photo's own alt text; without it the sign's serves.
    pub alt: Option<Text>,
    /// Where the entry is in the sidecar (one-based line and column), set after parsing.
    pub(crate) at: Option<(usize, usize)>,
}

/// One photo of a merged sign.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Photo {
    /// The photo, relative to the site root.
    pub(crate) source: PathBuf,
    /// Its own alt text (from its `photos:` entry); the sign's serves when absent.
    pub(crate) alt: Option<Text>,
    pub(crate) facts: PhotoFacts,
}

impl Photo {
    pub(crate) fn new(source: PathBuf, facts: PhotoFacts) -> Photo {
        Photo {
            source,
            alt: None,
            facts,
        }
    }
}

/// `photos:` is a list; an empty key (`photos:`) is an empty one.
pub(crate) fn photo_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PhotoItem>, D::Error> {
    struct List;
    impl<'de> Visitor<'de> for List {
        type Value = Vec<PhotoItem>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of photos, such as [door-2.jpg, door-3.jpg]")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<PhotoItem>()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_any(List)
}

/// The mapping form of an entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    #[serde(default)]
    alt: Option<Text>,
}

impl<'de> Deserialize<'de> for PhotoItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PhotoItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a photo's file name, or `file:` with `alt:`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PhotoItem, E> {
                item(v.to_string(), None)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PhotoItem, A::Error> {
                let e = Entry::deserialize(MapAccessDeserializer::new(map))?;
                item(e.file, e.alt)
            }
        }
        d.deserialize_any(V)
    }
}

fn item<E: de::Error>(file: String, alt: Option<Text>) -> Result<PhotoItem, E> {
    check_name(&file).map_err(E::custom)?;
    Ok(PhotoItem {
        file: file.trim().to_string(),
        alt: alt.and_then(Text::non_empty),
        at: None,
    })
}

/// A listed name must stay inside the sidecar's folder: the scan never looks anywhere
/// else, and a name that leaves it would read like a promise that it does. The message
/// is "what is wrong; what to write", as `yaml` splits it.
fn check_name(file: &str) -> Result<(), String> {
    let name = file.trim();
    if name.is_empty() {
        return Err(
            "a photo without a file name; write the photo's file name, such as door-2.jpg".into(),
        );
    }
    if name.contains('\\') {
        return Err(format!(
            "`{name}` separates folders with `\\`; write `{}`",
            name.replace('\\', "/")
        ));
    }
    let drive =
        name.len() > 1 && name.as_bytes()[1] == b':' && name.as_bytes()[0].is_ascii_alphabetic();
    if name.starts_with('/') || drive {
        return Err(format!(
            "`{name}` is an absolute path; write the photo's name beside the sidecar, such as door-2.jpg"
        ));
    }
    if name.split('/').any(|part| part == "..") {
        return Err(format!(
            "`{name}` leads out of the sidecar's folder; list only photos in the sidecar's folder or below it"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::metadata::parse_sidecar;

    /// An entry as (file, alt, position).
    type Entry = (String, Option<String>, Option<(usize, usize)>);

    fn files(yaml: &str) -> Vec<Entry> {
        parse_sidecar(yaml)
            .unwrap()
            .photos
            .into_iter()
            .map(|p| (p.file, p.alt.map(|a| a.first().to_string()), p.at))
            .collect()
    }

    #[test]
    fn names_and_mappings_in_block_style_keep_their_order_and_lines() {
        let got = files(
            "title: Door\nphotos:   # after the cover\n  - door-2.jpg\n\n  - file: door-3.webp\n    alt: The pair of doors\n  - file: more/door-4.png\nalt: A door\n",
        );
        assert_eq!(
            got,
            [
                ("door-2.jpg".into(), None, Some((3, 5))),
                (
                    "door-3.webp".into(),
                    Some("The pair of doors".into()),
                    Some((5, 5))
                ),
                ("more/door-4.png".into(), None, Some((7, 5))),
            ]
        );
        let unindented = files("photos:\n- a.jpg\n- file: b.jpg\ndraft: true\n");
        assert_eq!(unindented[1], ("b.jpg".into(), None, Some((3, 3))));
    }

    #[test]
    fn flow_style_and_empty_lists() {
        let got = files("photos: [a.jpg, {file: b.jpg, alt: B}, \"c d.jpg\"]\n");
        let at: Vec<_> = got.iter().map(|g| g.2).collect();
        assert_eq!(at, [Some((1, 10)), Some((1, 17)), Some((1, 40))]);
        assert_eq!(got[1].1.as_deref(), Some("B"));
        assert_eq!(got[2].0, "c d.jpg");
        let over_lines = files("photos: [a.jpg,\n  b.jpg]  # two\n");
        assert_eq!(over_lines[1].2, Some((2, 3)));
        assert!(files("photos:\n").is_empty());
        assert!(files("photos: []\n").is_empty());
        assert_eq!(files("photos:\n  - file: x.jpg\n    alt: ' '\n")[0].1, None);
    }

    #[test]
    fn names_that_leave_the_folder_are_errors_at_their_entry() {
        for (yaml, said, line) in [
            (
                "photos:\n  - a.jpg\n  - ../b.jpg\n",
                "leads out of the sidecar's folder",
                3,
            ),
            ("photos:\n  - /home/me/b.jpg\n", "is an absolute path", 2),
            ("photos:\n  - C:/b.jpg\n", "is an absolute path", 2),
            ("photos:\n  - x/../../b.jpg\n", "leads out", 2),
            ("photos:\n  - 'a\\b.jpg'\n", "separates folders with", 2),
            (
                "photos:\n  - a.jpg\n  - file: ''\n",
                "without a file name",
                3,
            ),
            ("title: x\nphotos: [a.jpg, ../b.jpg]\n", "leads out", 2),
        ] {
            let err = parse_sidecar(yaml).unwrap_err();
            assert!(err.message.contains(said), "{yaml:?}: {}", err.message);
            assert_eq!(err.line, Some(line), "{yaml:?}: {err:?}");
            assert!(err.hint.is_some(), "{yaml:?}");
        }
    }

    #[test]
    fn wrong_shapes_say_what_a_list_of_photos_is() {
        let err = parse_sidecar("photos: door-2.jpg\n").unwrap_err();
        assert!(err.message.contains("a list of photos"), "{}", err.message);
        let err = parse_sidecar("photos:\n  - file: a.jpg\n    alt_text: x\n").unwrap_err();
        assert!(
            err.message.contains("unknown key `alt_text`"),
            "{}",
            err.message
        );
        assert!(err.hint.unwrap().contains("did you mean `alt`?"));
        assert_eq!(err.line, Some(3));
        let err = parse_sidecar("photos:\n  - alt: x\n").unwrap_err();
        assert!(err.message.contains("missing `file`"), "{}", err.message);
        assert_eq!(err.line, Some(2));
    }
}
