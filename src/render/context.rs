//! What templates see: serialisable views of the catalog, documented in
//! `docs/templates.md`. Every URL here already carries the site's base path, and page
//! URLs the language's own prefix (`/es/`); files (images) are shared by every
//! language and live at the root.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Catalog, CityEntry, CountryEntry, Sign, TagEntry};
use crate::config::Site;
use crate::geo::round_coord;
use crate::i18n::Words;
use crate::imaging::{PhotoImages, Rendition};
use crate::metadata::{SignDate, Source};

use super::markdown;

/// Turns site-relative paths into the two forms templates need.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `/glyphs/`
    pub base_path: String,
    /// `https://example.org/glyphs/` (or the base path when no absolute URL is set)
    pub base_url: String,
    /// Where the language's pages are below the root: `""` (the default), `es/`.
    pub prefix: String,
}

impl Urls {
    /// The URLs of the default language's pages.
    pub fn new(site: &Site) -> Urls {
        Urls::for_lang(site, site.default_lang())
    }

    /// The URLs of `lang`'s pages.
    pub fn for_lang(site: &Site, lang: &str) -> Urls {
        Urls {
            base_path: site.base_path.clone(),
            base_url: site.base_url.clone(),
            prefix: site.lang_prefix(lang),
        }
    }

    /// A page: `signs/x/` → `/glyphs/signs/x/` (`/glyphs/es/signs/x/` in Spanish)
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}{}{}",
            self.base_path,
            self.prefix,
            path.trim_start_matches('/')
        )
    }

    /// A page: `signs/x/` → `https://example.org/glyphs/signs/x/`
    pub fn permalink(&self, path: &str) -> String {
        format!(
            "{}{}{}",
            self.base_url,
            self.prefix,
            path.trim_start_matches('/')
        )
    }

    /// A file every language shares: `media/x.jpg` → `/glyphs/media/x.jpg`
    pub fn file(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// A file every language shares: `media/x.jpg` → `https://example.org/glyphs/media/x.jpg`
    pub fn file_permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

/// The language a view is built in: its code, the site's default, and the theme's
/// words (style names may be translated there, as `style.<slug>`).
#[derive(Clone, Copy)]
pub struct Lang<'a> {
    pub code: &'a str,
    pub default: &'a str,
    pub words: &'a Words,
}

impl Lang<'_> {
    /// A style's name in this language: the site's or theme's `style.<slug>`, else the
    /// name the sidecars give it.
    pub fn style_name<'n>(&'n self, slug: &str, name: &'n str) -> &'n str {
        self.words
            .text(self.code, &format!("style.{slug}"))
            .unwrap_or(name)
    }

    /// For text in `lang`: the language to mark it with when it is not the page's own.
    pub fn mark(&self, lang: &str) -> Option<String> {
        (lang != self.code).then(|| lang.to_string())
    }
}

pub fn sign_path(slug: &str) -> String {
    format!("signs/{slug}/")
}
pub fn tag_path(slug: &str) -> String {
    format!("tags/{slug}/")
}
pub fn country_path(slug: &str) -> String {
    format!("countries/{slug}/")
}
pub fn city_path(country_slug: &str, city_slug: &str) -> String {
    format!("countries/{country_slug}/{city_slug}/")
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub root: String,
    pub author: String,
    pub generator: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CityView {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryView {
    pub code: String,
    pub name: String,
    pub slug: String,
    pub flag: String,
    pub url: String,
    pub count: usize,
    pub cities: Vec<CityView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImageRef {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub srcset: String,
    pub full: ImageRef,
    pub thumb: ImageRef,
    pub renditions: Vec<ImageRef>,
    pub aspect: f64,
    pub color: String,
}

/// One photo of a sign: its image and its alt text (its own, else the sign's).
#[derive(Debug, Clone, Serialize)]
pub struct PhotoView {
    #[serde(flatten)]
    pub image: ImageView,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignView {
    pub slug: String,
    pub url: String,
    pub permalink: String,
    pub title: String,
    pub alt: String,
    pub caption_html: String,
    /// The language of `title`, `alt`, `caption_html` and `place` when it is not the
    /// page's (the sidecar has no text in the page's language): templates mark those
    /// elements with `lang`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt_lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption_lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_display: Option<String>,
    pub datetime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub tags: Vec<TagRef>,
    /// The cover.
    pub image: ImageView,
    /// Every photo, the cover first.
    pub photos: Vec<PhotoView>,
    /// When the sign appeared in the archive (RFC 3339): `published`, else the photo's
    /// date. The feed's `<published>` and `<updated>`, and the order of the lists.
    pub listed: Option<String>,
    /// The caption as plain text (the feed's summary).
    pub caption_text: String,
    /// When the sign was first published (RFC 3339), and that day as `date` and
    /// `date_display` show theirs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_display: Option<String>,
    /// Where the sign was imported from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    pub sources: BTreeMap<&'static str, Source>,
    /// Marked `draft: true`: only in previews and `--drafts` builds.
    pub draft: bool,
}

pub fn tag_ref(urls: &Urls, slug: &str, name: &str, count: Option<usize>) -> TagRef {
    TagRef {
        name: name.to_string(),
        slug: slug.to_string(),
        url: urls.url(&tag_path(slug)),
        count,
    }
}

pub fn tag_view(urls: &Urls, lang: &Lang, t: &TagEntry) -> TagRef {
    tag_ref(
        urls,
        &t.slug,
        lang.style_name(&t.slug, &t.name),
        Some(t.signs.len()),
    )
}

pub fn city_view(urls: &Urls, lang: &Lang, country_slug: &str, c: &CityEntry) -> CityView {
    CityView {
        name: c.names.resolve(lang.code, lang.default).0.to_string(),
        slug: c.slug.clone(),
        url: urls.url(&city_path(country_slug, &c.slug)),
        count: c.signs.len(),
    }
}

pub fn country_view(urls: &Urls, lang: &Lang, c: &CountryEntry) -> CountryView {
    CountryView {
        cities: c
            .cities
            .iter()
            .map(|city| city_view(urls, lang, &c.slug, city))
            .collect(),
        ..country_ref(urls, lang, c)
    }
}

/// A country as a sign refers to it: without the list of its cities, which every
/// sign of a country would otherwise copy into every page that lists it.
pub fn country_ref(urls: &Urls, lang: &Lang, c: &CountryEntry) -> CountryView {
    let code = c.country.code;
    CountryView {
        code: code.to_string(),
        // The default language keeps the name the geocoder gives (CLDR's may differ).
        name: (lang.code != lang.default)
            .then(|| crate::locale::country_name(code, lang.code))
            .flatten()
            .unwrap_or(c.country.name)
            .to_string(),
        slug: c.slug.clone(),
        flag: c.country.flag(),
        url: urls.url(&country_path(&c.slug)),
        count: c.signs.len(),
        cities: Vec::new(),
    }
}

/// The view of one sign in `lang`; `photos` are its photos' renditions, the cover
/// first.
pub fn sign_view(
    site: &Site,
    urls: &Urls,
    lang: &Lang,
    catalog: &Catalog,
    sign: &Sign,
    photos: &[PhotoImages],
) -> SignView {
    let m = &sign.meta;
    let path = sign_path(&m.slug);
    // Each text in the page's language, and the language it fell back to if any.
    let text = |key: &str, given: Option<&String>| -> (Option<String>, Option<String>) {
        match m.texts.get(key) {
            Some(t) => {
                let (s, fell) = t.resolve(lang.code, lang.default);
                (Some(s.to_string()), fell.and_then(|l| lang.mark(l)))
            }
            None => (given.cloned(), None),
        }
    };
    let (title, title_lang) = text("title", Some(&m.title));
    let (alt, alt_lang) = text("alt", m.alt.as_ref());
    let (caption, caption_lang) = text("caption", m.caption.as_ref());
    let (place, place_lang) = text("place", m.place.as_ref());
    let alt = alt.unwrap_or_default();
    let views: Vec<PhotoView> = photos
        .iter()
        .zip(m.photos())
        .map(|(images, photo)| PhotoView {
            image: image_view(urls, images),
            alt: photo.alt.as_ref().map_or_else(
                || alt.clone(),
                |a| a.resolve(lang.code, lang.default).0.to_string(),
            ),
        })
        .collect();
    let country_entry = sign
        .place
        .country
        .as_ref()
        .and_then(|c| catalog.countries.iter().find(|e| e.country.code == c.code));
    let mut city_name = sign.place.city.clone();
    let city_url = match (country_entry, &sign.place.city) {
        (Some(ce), Some(city)) => {
            let slug = slug::slugify(city);
            if let Some(entry) = ce.cities.iter().find(|c| c.slug == slug) {
                city_name = Some(entry.names.resolve(lang.code, lang.default).0.to_string());
            }
            (!slug.is_empty()).then(|| urls.url(&city_path(&ce.slug, &slug)))
        }
        _ => None,
    };
    let precision = site.config.location_precision;
    SignView {
        slug: m.slug.clone(),
        url: urls.url(&path),
        permalink: urls.permalink(&path),
        title: title.unwrap_or_default(),
        alt,
        caption_html: caption
            .as_deref()
            .map(|c| markdown::to_html(c, &urls.base_path, markdown::RawHtml::AsText))
            .unwrap_or_default(),
        title_lang,
        alt_lang,
        caption_lang,
        place_lang,
        place,
        city: city_name,
        city_url,
        country: country_entry.map(|c| country_ref(urls, lang, c)),
        credit: m.credit.clone(),
        camera: m.camera.clone(),
        date: m.date.map(|d| day(d.date)),
        date_display: m.date.map(|d| crate::locale::date(d.date, lang.code)),
        datetime: datetime(m.date),
        location: m.location.map(|l| Location {
            lat: round_coord(l.lat, precision),
            lon: round_coord(l.lon, precision),
        }),
        tags: m
            .tags
            .keys()
            .map(|t| tag_ref(urls, t, lang.style_name(t, catalog.tag_name(t)), None))
            .collect(),
        image: views[0].image.clone(),
        photos: views,
        published: m.published.map(|d| datetime(Some(d))),
        listed: m.listed().map(|d| datetime(Some(d))),
        caption_text: caption
            .as_deref()
            .map(|c| one_spaced(&markdown::to_text(c)))
            .unwrap_or_default(),
        published_date: m.published.map(|d| day(d.date)),
        published_display: m.published.map(|d| crate::locale::date(d.date, lang.code)),
        origin: m.origin.clone(),
        sources: m.sources.clone(),
        draft: m.draft,
    }
}

/// One photo's image: a mid-size rendition for `src`, every size for `srcset`.
fn image_view(urls: &Urls, photo: &PhotoImages) -> ImageView {
    let media = |r: &Rendition| ImageRef {
        url: urls.file(&format!("{}/{}", super::MEDIA, r.file_name)),
        width: r.width,
        height: r.height,
    };
    let all: Vec<ImageRef> = photo.renditions.iter().map(media).collect();
    // The middle size serves `src=` for browsers without srcset; srcset does the rest.
    let mid = all
        .get(all.len().saturating_sub(1).min(1))
        .cloned()
        .unwrap_or_else(|| all[0].clone());
    let color = photo.color;
    ImageView {
        src: mid.url.clone(),
        width: mid.width,
        height: mid.height,
        srcset: all
            .iter()
            .map(|i| format!("{} {}w", i.url, i.width))
            .collect::<Vec<_>>()
            .join(", "),
        full: all.last().cloned().unwrap_or_else(|| mid.clone()),
        thumb: all.first().cloned().unwrap_or_else(|| mid.clone()),
        aspect: mid.width as f64 / mid.height.max(1) as f64,
        color: format!("#{:02x}{:02x}{:02x}", color[0], color[1], color[2]),
        renditions: all,
    }
}

/// `text` with each run of whitespace made one space, trimmed.
fn one_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `2017-06-03`
fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// RFC 3339 for feeds: the capture time with its offset when known, else midnight UTC.
fn datetime(d: Option<SignDate>) -> String {
    let Some(d) = d else {
        return "1970-01-01T00:00:00Z".into();
    };
    let time = d.time.unwrap_or_default();
    let naive = d.date.and_time(time);
    match d.offset {
        Some(off) => naive
            .and_local_timezone(off)
            .single()
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| format!("{}Z", naive.format("%Y-%m-%dT%H:%M:%S"))),
        None => format!("{}Z", naive.format("%Y-%m-%dT%H:%M:%S")),
    }
}

/// A sign as a dot on a map. `x`/`y` place it on `map/world.svg` (plate carrée:
/// x = lon + 180, y = 90 − lat), from the already rounded location.
#[derive(Debug, Clone, Serialize)]
pub struct MapPoint {
    pub url: String,
    pub title: String,
    pub lat: f64,
    pub lon: f64,
    pub x: f64,
    pub y: f64,
    pub thumb: String,
}

/// A small static map: the world outline cropped to `view_box`, with dots.
#[derive(Debug, Clone, Serialize)]
pub struct MiniMap {
    pub view_box: String,
    /// Dot radius in map units, so dots look the same size however far the map zooms.
    pub r: f64,
    pub points: Vec<MapPoint>,
    /// Inline outlines (SVG path data) for country and city pages: every other
    /// country, and the page's own country. Empty: the map draws `map/world.svg`.
    pub land: String,
    pub shape: String,
}

pub fn map_point(v: &SignView) -> Option<MapPoint> {
    let l = v.location.as_ref()?;
    Some(MapPoint {
        url: v.url.clone(),
        title: v.title.clone(),
        lat: l.lat,
        lon: l.lon,
        x: ((l.lon + 180.0) * 100.0).round() / 100.0,
        y: ((90.0 - l.lat) * 100.0).round() / 100.0,
        thumb: v.image.thumb.url.clone(),
    })
}

/// Frame `points` with a margin, at least `min_span` degrees wide, in the world map's
/// 12:5 shape. `None` without points.
pub fn mini_map(points: Vec<MapPoint>, min_span: f64) -> Option<MiniMap> {
    let first = points.first()?;
    let (mut x0, mut x1, mut y0, mut y1) = (first.x, first.x, first.y, first.y);
    for p in &points {
        x0 = x0.min(p.x);
        x1 = x1.max(p.x);
        y0 = y0.min(p.y);
        y1 = y1.max(p.y);
    }
    let aspect = 360.0 / 150.0;
    let mut w = ((x1 - x0) * 1.3).max(min_span);
    let mut h = (y1 - y0) * 1.3;
    if w / aspect < h {
        w = h * aspect;
    } else {
        h = w / aspect;
    }
    let (w, h) = (w.min(360.0), h.min(150.0));
    let cx = ((x0 + x1) / 2.0).clamp(w / 2.0, 360.0 - w / 2.0);
    let cy = ((y0 + y1) / 2.0).clamp(h / 2.0, 150.0 - h / 2.0);
    Some(MiniMap {
        view_box: format!("{:.2} {:.2} {:.2} {:.2}", cx - w / 2.0, cy - h / 2.0, w, h),
        r: (w / 120.0).max(0.05),
        points,
        land: String::new(),
        shape: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, NaiveDate, NaiveTime};

    #[test]
    fn datetimes_are_rfc3339() {
        let day = NaiveDate::from_ymd_opt(2017, 6, 3).unwrap();
        assert_eq!(datetime(Some(SignDate::day(day))), "2017-06-03T00:00:00Z");
        let with = SignDate {
            date: day,
            time: NaiveTime::from_hms_opt(14, 12, 31),
            offset: FixedOffset::east_opt(3 * 3600),
        };
        assert_eq!(datetime(Some(with)), "2017-06-03T14:12:31+03:00");
    }

    #[test]
    fn urls_carry_the_base_path() {
        let mut u = Urls {
            base_path: "/glyphs/".into(),
            base_url: "https://example.org/glyphs/".into(),
            prefix: String::new(),
        };
        assert_eq!(u.url("signs/x/"), "/glyphs/signs/x/");
        u.prefix = "es/".into();
        assert_eq!(u.url("signs/x/"), "/glyphs/es/signs/x/");
        assert_eq!(u.file("media/a.jpg"), "/glyphs/media/a.jpg");
        u.prefix = String::new();
        assert_eq!(
            u.permalink("/atom.xml"),
            "https://example.org/glyphs/atom.xml"
        );
    }
}
