//! Metadata: what each photo is, from its sidecar and its EXIF, merged into a `SignMeta`.
//!
//! Everything here is a pure function of file bytes and text; the build reads the files.
//! The sidecar always wins over EXIF, and every merged value remembers where it came from.

mod error;
pub(crate) mod exif;
pub mod frontmatter;
pub(crate) mod heif;
mod jpeg;
mod photos;
pub(crate) mod sidecar;
mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
pub use error::{check_size, read_photo, PhotoError, MAX_PHOTO_BYTES};
pub use exif::{read_exif, ExifFacts};
pub(crate) use photos::Photo;
pub use photos::PhotoItem;
pub use sidecar::{parse_sidecar, LatLon, Sidecar, SignDate};
pub use text::Text;

/// What the photo file itself says, cached by the build between runs (keyed by
/// `cache::Stamp`) so an unchanged photo is not read again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoFacts {
    /// blake3 of the file's bytes, hex.
    pub hash: String,
    /// The file's size.
    pub bytes: u64,
    /// Stored pixel size, before EXIF orientation.
    pub width: u32,
    /// Stored pixel height, before EXIF orientation.
    pub height: u32,
    /// What its EXIF says.
    pub exif: ExifFacts,
}

impl PhotoFacts {
    /// Pixel size as displayed, after EXIF orientation (5–8 swap the sides).
    pub fn display_size(&self) -> (u32, u32) {
        if self.exif.orientation >= 5 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

/// Hash, probe and read the EXIF of a photo's bytes. An error means it is not an image
/// we can read; the message says what it looks like instead.
pub fn photo_facts(bytes: &[u8]) -> Result<PhotoFacts, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if heif::is_heif(bytes) {
        return heif_facts(bytes);
    }
    let is_jpeg = bytes.starts_with(&[0xFF, 0xD8]);
    if is_jpeg && !jpeg::is_complete(bytes) {
        return Err(PhotoError::Truncated);
    }
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(PhotoError::Read)?;
    if reader.format().is_none() {
        return Err(PhotoError::NotAnImage);
    }
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| PhotoError::Header(e.to_string()))?;
    if width == 0 || height == 0 {
        return Err(PhotoError::NoPixels(width, height));
    }
    let mut exif = read_exif(bytes);
    if let Some(why) = is_jpeg.then(|| jpeg::damage(bytes)).flatten() {
        exif.warnings.push(format!(
            "the photo's image data is damaged: {why}, so part of it shows as grey or smeared; copy it again from the camera or phone, or export it again"
        ));
    }
    Ok(PhotoFacts {
        hash: blake3::hash(bytes).to_hex().to_string(),
        bytes: bytes.len() as u64,
        width,
        height,
        exif,
    })
}

fn heif_facts(bytes: &[u8]) -> Result<PhotoFacts, PhotoError> {
    let ((width, height), transformed) = heif::displayed_size(bytes)?;
    let mut exif = read_exif(bytes);
    // The decoder turns the picture as the container says; see `heif` for why EXIF
    // must not as well, and why it must when the container says nothing.
    if transformed {
        exif.orientation = 1;
    }
    Ok(PhotoFacts {
        hash: blake3::hash(bytes).to_hex().to_string(),
        bytes: bytes.len() as u64,
        width,
        height,
        exif,
    })
}

/// Where a value of a sign came from. Templates see it as text (`sign.sources.date ==
/// "exif"` marks a date taken from the photo), so each serialises as it always has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum Source {
    /// Written in the sidecar.
    #[serde(rename = "sidecar")]
    Sidecar,
    /// Read from the photo's EXIF.
    #[serde(rename = "exif")]
    Exif,
    /// The title, taken from the sidecar's `place`.
    #[serde(rename = "place")]
    Place,
    /// The title, made from the photo's file name.
    #[serde(rename = "file name")]
    FileName,
    /// The country or city, found from the GPS position.
    #[serde(rename = "gps")]
    Gps,
}

/// One sign's metadata after merging, before places are resolved.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SignMeta {
    /// The photo the sidecar is beside: its EXIF speaks for the sign, and cards, feeds
    /// and maps show it.
    pub(crate) cover: Photo,
    /// The sign's other photos (its sidecar's `photos:`), in order.
    pub(crate) more: Vec<Photo>,
    /// The sidecar, relative to the site root.
    pub(crate) sidecar: Option<PathBuf>,
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) alt: Option<String>,
    /// Markdown.
    pub(crate) caption: Option<String>,
    pub(crate) place: Option<String>,
    pub(crate) city: Option<String>,
    /// As written in the sidecar; resolved by `geo`.
    pub(crate) country: Option<String>,
    pub(crate) country_pos: Option<(usize, usize)>,
    pub(crate) location: Option<LatLon>,
    pub(crate) date: Option<SignDate>,
    /// Tag slug → its spelling in the sidecar (the first, spaces collapsed), for
    /// display; sorted by slug, one entry per style.
    pub(crate) tags: BTreeMap<String, String>,
    pub(crate) credit: Option<String>,
    pub(crate) camera: Option<String>,
    pub(crate) draft: bool,
    /// When the sign was first published, from the sidecar.
    pub(crate) published: Option<SignDate>,
    /// Where the sign was imported from, from the sidecar.
    pub(crate) origin: Option<String>,
    /// Field name → where its value came from.
    pub(crate) sources: BTreeMap<&'static str, Source>,
    /// `title`, `alt`, `caption`, `place` and `city` (those the sign has) in every
    /// language they were written in. The fields above are their default-language text,
    /// which slugs, sorting, search and one-language pages use.
    pub(crate) texts: BTreeMap<&'static str, Text>,
}

impl SignMeta {
    /// The file to blame for a problem with the sign: its sidecar, or the photo when it
    /// has none.
    pub(crate) fn file(&self) -> &Path {
        self.sidecar.as_deref().unwrap_or(&self.cover.source)
    }

    /// Every photo of the sign in order, the cover first.
    pub(crate) fn photos(&self) -> impl Iterator<Item = &Photo> {
        std::iter::once(&self.cover).chain(&self.more)
    }

    /// When the sign appeared in the archive: its `published:` moment, else the photo's
    /// date. It orders the home page and the feed, so that a 2017 photo added today is
    /// news to subscribers rather than sinking below years of signs.
    pub(crate) fn listed(&self) -> Option<SignDate> {
        self.published.or(self.date)
    }
}

/// Merge a photo's sidecar (if any) with the facts of its photos: the cover (whose EXIF
/// speaks for the sign) and the others its `photos:` lists, found by the read stage.
/// `stem` is the cover's file name without extension; `langs` are the site's languages,
/// the default first. Problems found (a bad slug, a text in a language the site does not
/// have) are returned as diagnostics without file names; the caller names the file.
pub(crate) fn merge(
    cover: Photo,
    more: Vec<Photo>,
    sidecar_path: Option<PathBuf>,
    stem: &str,
    sidecar: Option<Sidecar>,
    langs: &[String],
) -> (SignMeta, Vec<Diagnostic>) {
    let photo = &cover.facts;
    let default_lang = langs.first().map_or("en", String::as_str);
    let mut problems = Vec::new();
    // With one language the site has not said which it will have: texts in others
    // wait, unpublished, for `languages:` to list them.
    if let Some(sc) = sidecar.as_ref().filter(|_| langs.len() > 1) {
        problems.extend(foreign_languages(sc, langs));
    }
    let has_sidecar = sidecar.is_some();
    let sc = sidecar.unwrap_or_default();
    let mut sources = BTreeMap::new();
    let from = |present: bool| {
        if present {
            Source::Sidecar
        } else {
            Source::Exif
        }
    };

    let slug = match &sc.slug {
        Some(s) if is_valid_slug(s) => s.clone(),
        Some(s) => {
            let fixed = slugify_or(s, stem, &photo.hash);
            problems.push(
                Diagnostic::error(format!(
                    "`slug` may only hold lowercase letters, digits and hyphens: `{s}`"
                ))
                .at_opt(sc.position("slug"))
                .hint(format!("write `slug: {fixed}`")),
            );
            fixed
        }
        None => slugify_or(stem, stem, &photo.hash),
    };

    let location = match sc.location {
        Some(hidden_or_given) => hidden_or_given,
        None => photo.exif.location(),
    };
    if location.is_some() {
        sources.insert("location", from(sc.location.is_some()));
    }
    let date = sc.date.or_else(|| photo.exif.date());
    if date.is_some() {
        sources.insert("date", from(sc.date.is_some()));
    }

    let mut texts = BTreeMap::new();
    for (key, text) in [
        ("alt", &sc.alt),
        ("caption", &sc.caption),
        ("place", &sc.place),
        ("city", &sc.city),
    ] {
        if let Some(t) = text.clone().and_then(Text::non_empty) {
            texts.insert(key, t);
        }
    }
    let given = sc.title.clone().and_then(Text::non_empty);
    let title = match (given, texts.get("place")) {
        (Some(t), _) => {
            sources.insert("title", Source::Sidecar);
            t
        }
        (None, Some(p)) => {
            sources.insert("title", Source::Place);
            p.clone()
        }
        (None, None) => {
            sources.insert("title", Source::FileName);
            Text::All(humanise(stem))
        }
    };
    texts.insert("title", title);
    let default_of = |key: &str| {
        texts
            .get(key)
            .map(|t| t.default_text(default_lang).to_string())
    };
    for (key, present) in [
        ("city", sc.city.is_some()),
        ("country", sc.country.is_some()),
    ] {
        if present {
            sources.insert(key, Source::Sidecar);
        }
    }

    let country_pos = sc.position("country");
    let (named, tag_problems) = tag_slugs(&sc.tags);
    let mut tags = BTreeMap::new();
    for (slug, written) in named {
        tags.entry(slug)
            .or_insert_with(|| written.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    problems.extend(
        tag_problems
            .into_iter()
            .map(|d| d.at_opt(sc.position("tags"))),
    );

    let camera = photo.exif.camera();
    let meta = SignMeta {
        cover,
        more,
        sidecar: sidecar_path,
        slug,
        title: default_of("title").unwrap_or_default(),
        alt: default_of("alt"),
        caption: default_of("caption"),
        place: default_of("place"),
        city: default_of("city"),
        country_pos,
        country: non_empty(sc.country),
        location,
        date,
        tags,
        credit: non_empty(sc.credit),
        camera,
        draft: sc.draft,
        published: sc.published,
        origin: sc.origin,
        sources,
        texts,
    };
    if !has_sidecar {
        problems.push(
            Diagnostic::warning(
                "no sidecar; published from EXIF alone with the title from its file name",
            )
            .hint(format!(
                "add `{stem}.yaml` beside it with at least a title, alt text and tags"
            )),
        );
    }
    (meta, problems)
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// An error for each text written in a language the site does not have, at its key:
/// it would never be published, and is most likely a typo or a forgotten `languages:`.
fn foreign_languages(sc: &Sidecar, langs: &[String]) -> Vec<Diagnostic> {
    let list = langs
        .iter()
        .map(|l| format!("`{l}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = Vec::new();
    for (key, t) in sc.texts() {
        for code in t.languages() {
            if langs.iter().any(|l| text::same_language(code, l)) {
                continue;
            }
            let at = sc.position(&format!("{key}.{code}"));
            out.push(
                Diagnostic::error(format!(
                    "`{key}` has a text in `{code}`, which is not one of the site's languages"
                ))
                .at_opt(at)
                .hint(format!(
                    "the site's languages are {list}; add `{code}` to `languages:` in site.yaml, or remove this text"
                )),
            );
        }
    }
    out
}

pub(crate) fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The styles' slugs with the tags as written, and a warning for each tag the slugs
/// lose: one with no letter or digit, and two spellings that differ by more than case,
/// accents or spacing but become one style (`C++` and `c#` are both `c`).
fn tag_slugs(tags: &[String]) -> (Vec<(String, &str)>, Vec<Diagnostic>) {
    let loose = tag_spelling;
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut slugs = Vec::new();
    for tag in tags {
        let slug = slug::slugify(tag);
        if slug.is_empty() {
            if !tag.trim().is_empty() {
                problems.push(
                    Diagnostic::warning(format!(
                        "the tag `{tag}` has no letter or digit, so it is left out"
                    ))
                    .hint("name the style with words, such as `wheelchair` or `gender-neutral`"),
                );
            }
            continue;
        }
        match seen.get(&slug) {
            Some(first) if loose(first) != loose(tag) => problems.push(
                Diagnostic::warning(format!(
                    "the tags `{first}` and `{tag}` both become the style `{slug}`"
                ))
                .hint("style names keep only letters, digits and hyphens; spell them so they differ in those (`c-plus-plus`)"),
            ),
            Some(_) => {}
            None => {
                seen.insert(slug.clone(), tag);
            }
        }
        slugs.push((slug, tag.as_str()));
    }
    (slugs, problems)
}

/// A tag without case, accents or spacing: two tags that agree on this are one style
/// by intent; two that differ but share a slug lost something to the slug.
pub(crate) fn tag_spelling(t: &str) -> String {
    deunicode::deunicode(t)
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A warning when a sign's date comes from EXIF and lies after `today` (with a day
/// of slack for time zones): the camera's clock was wrong.
pub(crate) fn future_exif_date(meta: &SignMeta, today: chrono::NaiveDate) -> Option<Diagnostic> {
    let date = meta
        .date
        .filter(|_| meta.sources.get("date") == Some(&Source::Exif))?;
    (date.date > today + chrono::Days::new(1)).then(|| {
        Diagnostic::warning(format!(
            "the photo's EXIF date {} is in the future; the camera's clock was probably wrong",
            date.date
        ))
        .hint("set the right `date:` in the sidecar")
    })
}

/// A URL-safe slug of `s`; names with nothing to transliterate fall back to the file
/// name and then to the content hash, so every sign gets one.
fn slugify_or(s: &str, stem: &str, hash: &str) -> String {
    [slug::slugify(s), slug::slugify(stem)]
        .into_iter()
        .map(|x| shorten(&x, MAX_SLUG))
        .find(|x| !x.is_empty())
        .unwrap_or_else(|| format!("sign-{}", &hash[..8.min(hash.len())]))
}

/// Slugs become folder and file names (`<slug>-1600.<hash>.jpg`); file systems allow 255 bytes.
const MAX_SLUG: usize = 80;

/// Cut an ASCII slug to at most `max` bytes, at a hyphen where there is one.
fn shorten(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_string();
    }
    let cut = &slug[..max];
    cut[..cut.rfind('-').filter(|&i| i > max / 2).unwrap_or(max)]
        .trim_end_matches('-')
        .to_string()
}

/// `simons-square_one` → `Simons square one`.
pub(crate) fn humanise(stem: &str) -> String {
    let words = stem
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => stem.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> Vec<String> {
        vec!["en".into()]
    }

    #[test]
    fn tags_that_merge_or_vanish_are_warned_about() {
        let tags = |t: &[&str]| {
            let owned: Vec<String> = t.iter().map(|s| s.to_string()).collect();
            let (named, problems) = tag_slugs(&owned);
            let slugs: Vec<String> = named.into_iter().map(|(slug, _)| slug).collect();
            (slugs, problems)
        };
        let (slugs, problems) = tags(&["Pictogram", "pictogram ", "Art Deco", "art-deco", "Café"]);
        assert_eq!(
            slugs,
            ["pictogram", "pictogram", "art-deco", "art-deco", "cafe"]
        );
        assert!(problems.is_empty(), "{problems:?}");

        let (slugs, problems) = tags(&["C++", "c#", "-", "a/b"]);
        assert_eq!(slugs, ["c", "c", "a-b"]);
        let messages: Vec<_> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the tags `C++` and `c#` both become the style `c`",
                "the tag `-` has no letter or digit, so it is left out"
            ]
        );
    }

    fn facts() -> PhotoFacts {
        PhotoFacts {
            hash: "ab".repeat(32),
            bytes: 1,
            width: 40,
            height: 30,
            exif: ExifFacts {
                location: Some((43.5, -79.6)),
                taken: exif::parse_exif_datetime("2017:06:03 12:00:00"),
                orientation: 6,
                ..Default::default()
            },
        }
    }

    fn cover() -> Photo {
        Photo::new("photos/a.jpg".into(), facts())
    }

    #[test]
    fn only_an_exif_date_after_tomorrow_is_in_the_future() {
        let day = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (from_exif, _) = merge(cover(), vec![], None, "a", None, &en());
        assert!(future_exif_date(&from_exif, day("2017-06-01")).is_some());
        assert!(future_exif_date(&from_exif, day("2017-06-02")).is_none());
        let sc = parse_sidecar("date: 2017-06-03\n").unwrap();
        let (dated, _) = merge(cover(), vec![], None, "a", Some(sc), &en());
        assert!(future_exif_date(&dated, day("2000-01-01")).is_none());
    }

    #[test]
    fn sidecar_wins_over_exif_and_sources_are_kept() {
        let sc = parse_sidecar("date: 2020-01-02\ntags: [Gender Neutral, art, art]\n").unwrap();
        let (m, p) = merge(cover(), vec![], None, "simons-square_one", Some(sc), &en());
        assert!(p.is_empty());
        assert_eq!(m.date.unwrap().date.to_string(), "2020-01-02");
        assert_eq!(m.sources["date"], Source::Sidecar);
        assert_eq!(m.sources["location"], Source::Exif);
        assert_eq!(m.title, "Simons square one");
        assert_eq!(m.slug, "simons-square-one");
        assert_eq!(m.tags.keys().collect::<Vec<_>>(), ["art", "gender-neutral"]);
        assert_eq!(m.cover.facts.display_size(), (30, 40));
    }

    #[test]
    fn no_sidecar_is_a_warning_and_bad_slug_an_error() {
        let (m, p) = merge(cover(), vec![], None, "Zürich Café", None, &en());
        assert_eq!(m.slug, "zurich-cafe");
        assert!(!p[0].is_error());
        let sc = parse_sidecar("slug: ../../etc\n").unwrap();
        let (m, p) = merge(cover(), vec![], None, "a", Some(sc), &en());
        assert!(p[0].is_error());
        assert_eq!(p[0].line, Some(1));
        assert_eq!(m.slug, "etc");
    }

    #[test]
    fn long_names_get_short_slugs_and_null_location_hides_gps() {
        let stem = "a-very-long-file-name-".repeat(12);
        let (m, _) = merge(cover(), vec![], None, &stem, None, &en());
        assert!(
            m.slug.len() <= MAX_SLUG && m.slug.starts_with("a-very-long") && !m.slug.ends_with('-')
        );
        let (m, _) = merge(
            cover(),
            vec![],
            None,
            "a",
            Some(parse_sidecar("location: null").unwrap()),
            &en(),
        );
        assert!(m.location.is_none(), "EXIF GPS is hidden");
    }

    #[test]
    fn texts_in_other_languages_keep_the_default_and_check_the_site() {
        let yaml = "place: {es: Tienda, en: Shop}\ncaption:\n  en: Hi\n  fr: Salut\n";
        let two = vec!["en".to_string(), "es".to_string()];
        let (m, p) = merge(cover(), vec![], None, "a", parse_sidecar(yaml).ok(), &two);
        assert_eq!(
            (m.title.as_str(), m.place.as_deref()),
            ("Shop", Some("Shop"))
        );
        assert_eq!(m.texts["title"].resolve("es", "en"), ("Tienda", None));
        assert_eq!(m.texts["caption"].resolve("es", "en"), ("Hi", Some("en")));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].is_error());
        assert_eq!((p[0].line, p[0].column), (Some(4), Some(3)));
        assert!(p[0].hint.as_deref().unwrap().contains("`en`, `es`"));
        let (_, p) = merge(cover(), vec![], None, "a", parse_sidecar(yaml).ok(), &en());
        assert!(
            p.is_empty(),
            "one language: the others wait for `languages:`"
        );
    }

    #[test]
    fn place_is_the_title_when_none_is_given() {
        let sc = parse_sidecar("place: Simons (Square One)\n").unwrap();
        let (m, _) = merge(cover(), vec![], None, "img_1234", Some(sc), &en());
        assert_eq!(m.title, "Simons (Square One)");
    }

    #[test]
    fn truncated_jpeg_is_detected() {
        let mut buf = Vec::new();
        let img =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 90)
            .encode_image(&img)
            .unwrap();
        assert!(jpeg::is_complete(&buf));
        assert!(photo_facts(&buf).is_ok());
        assert!(!jpeg::is_complete(&buf[..buf.len() / 2]));
        assert!(photo_facts(&buf[..buf.len() / 2])
            .unwrap_err()
            .to_string()
            .contains("truncated"));
        assert!(!jpeg::is_complete(&buf[..3]));
    }

    #[test]
    fn non_images_are_refused_by_name() {
        assert!(photo_facts(b"").unwrap_err().to_string().contains("empty"));
        assert!(photo_facts(b"hello, I am text")
            .unwrap_err()
            .to_string()
            .contains("not an image"));
    }
}
