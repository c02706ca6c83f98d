//! Which pages the site has, and what each one's template is given.
//!
//! A job lists its context as parts: sign views by index, or small values made up
//! front. Its fingerprint hashes exactly those parts, so a build can tell which of
//! the pages it planned (`touched`) an edit changed and render only those; the full
//! context is only put together for a page that is actually rendered.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Serialize;
use tera::{Context, Value};

use super::context::*;
use super::{ContentPage, RenderInput};
use crate::catalog::paginate;

/// The pages the site makes itself, each kind from its own template. This is the one
/// list of them: the templates a theme must have, the jobs below and the URL segments a
/// content page may not take (`super::RESERVED`) all come from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Home,
    Sign,
    Tags,
    Tag,
    Countries,
    Country,
    City,
    Map,
    Search,
    Page,
    NotFound,
    Feed,
    Sitemap,
    Robots,
}

impl Kind {
    /// Every kind, in the order a missing template is reported.
    pub const ALL: [Kind; 14] = [
        Kind::Home,
        Kind::Sign,
        Kind::Tags,
        Kind::Tag,
        Kind::Countries,
        Kind::Country,
        Kind::City,
        Kind::Map,
        Kind::Search,
        Kind::Page,
        Kind::NotFound,
        Kind::Feed,
        Kind::Sitemap,
        Kind::Robots,
    ];

    /// The template its pages are rendered with.
    pub fn template(self) -> &'static str {
        match self {
            Kind::Home => "index.html",
            Kind::Sign => "sign.html",
            Kind::Tags => "tags.html",
            Kind::Tag => "tag.html",
            Kind::Countries => "countries.html",
            Kind::Country => "country.html",
            Kind::City => "city.html",
            Kind::Map => "map.html",
            Kind::Search => "search.html",
            Kind::Page => "page.html",
            Kind::NotFound => "404.html",
            Kind::Feed => "atom.xml",
            Kind::Sitemap => "sitemap.xml",
            Kind::Robots => "robots.txt",
        }
    }

    /// The `page_kind` its templates are given.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Sign => "sign",
            Kind::Tags => "tags",
            Kind::Tag => "tag",
            Kind::Countries => "countries",
            Kind::Country => "country",
            Kind::City => "city",
            Kind::Map => "map",
            Kind::Search => "search",
            Kind::Page => "page",
            Kind::NotFound => "404",
            Kind::Feed => "feed",
            Kind::Sitemap => "sitemap",
            Kind::Robots => "robots",
        }
    }

    /// The first URL segment its pages live under, which a content page may not take
    /// (the home page's later pages are `/page/2/`…; content pages and single files
    /// take none).
    pub fn segment(self) -> Option<&'static str> {
        match self {
            Kind::Home => Some(PAGINATION),
            Kind::Sign => Some("signs"),
            Kind::Tags | Kind::Tag => Some("tags"),
            Kind::Countries | Kind::Country | Kind::City => Some("countries"),
            Kind::Map => Some("map"),
            Kind::Search => Some("search"),
            Kind::Page | Kind::NotFound | Kind::Feed | Kind::Sitemap | Kind::Robots => None,
        }
    }
}

/// The segment of a list's later pages (`tags/art/page/2/`, and `/page/2/` for home).
const PAGINATION: &str = "page";

/// One value of a page's context.
#[derive(Clone)]
pub enum Part<'a> {
    /// One sign's view.
    Sign(usize),
    /// A list of sign views.
    Signs(&'a [usize]),
    /// A run of sign views in catalog order.
    Range(std::ops::Range<usize>),
    /// The nearest signs: `{sign, distance_km}` each.
    Nearby(&'a [(usize, f64)]),
    /// A value made up front, with its hash: shared, not copied, by the pages of a
    /// list that all show it (a country's map on each of its pages).
    Value(std::sync::Arc<(Value, u64)>),
}

pub struct Job<'a> {
    pub template: &'static str,
    /// Output path below the site root.
    pub out: String,
    pub parts: Vec<(&'static str, Part<'a>)>,
}

/// Everything a job's parts refer to.
pub struct Shared<'a> {
    /// The context every page has (site, menu, live_reload).
    pub base: Context,
    pub base_hash: u64,
    /// Sign views as template values, and a hash of each.
    pub views: &'a [SignView],
    /// Each view as a template value, made when a page that shows it is rendered:
    /// an edit renders a few pages, and needs a few values, not one per sign.
    pub values: &'a [std::sync::OnceLock<Value>],
    pub hashes: &'a [u64],
}

impl Job<'_> {
    /// A hash of everything the page is made from, besides the templates.
    pub fn fingerprint(&self, shared: &Shared) -> u64 {
        let mut h = DefaultHasher::new();
        shared.base_hash.hash(&mut h);
        self.template.hash(&mut h);
        self.out.hash(&mut h);
        for (key, part) in &self.parts {
            key.hash(&mut h);
            match part {
                Part::Sign(i) => shared.hashes[*i].hash(&mut h),
                Part::Signs(idx) => {
                    idx.len().hash(&mut h);
                    idx.iter().for_each(|i| shared.hashes[*i].hash(&mut h));
                }
                Part::Range(r) => {
                    r.len().hash(&mut h);
                    shared.hashes[r.clone()].hash(&mut h);
                }
                Part::Nearby(near) => near.iter().for_each(|(i, km)| {
                    shared.hashes[*i].hash(&mut h);
                    km.to_bits().hash(&mut h);
                }),
                Part::Value(v) => v.1.hash(&mut h),
            }
        }
        h.finish()
    }

    pub fn context(&self, shared: &Shared) -> Context {
        let mut c = shared.base.clone();
        let value = |i: usize| shared.value(i).clone();
        for (key, part) in &self.parts {
            let v = match part {
                Part::Sign(i) => value(*i),
                Part::Signs(idx) => Value::Array(idx.iter().map(|i| value(*i)).collect()),
                Part::Range(r) => Value::Array(r.clone().map(value).collect()),
                Part::Nearby(near) => Value::Array(
                    near.iter()
                        .map(|&(j, km)| {
                            serde_json::json!({
                                "sign": value(j),
                                "distance_km": (km * 10.0).round() / 10.0,
                                "distance": distance_label(km),
                            })
                        })
                        .collect(),
                ),
                Part::Value(v) => {
                    c.insert(*key, &v.0);
                    continue;
                }
            };
            c.insert(*key, &v);
        }
        c
    }
}

impl Shared<'_> {
    fn value(&self, i: usize) -> &Value {
        self.values[i].get_or_init(|| tera::to_value(&self.views[i]).expect("views serialise"))
    }
}

/// A stable hash of a serialisable value (its compact JSON).
pub fn hash_value<T: Serialize + ?Sized>(v: &T) -> u64 {
    struct W<'h>(&'h mut DefaultHasher);
    impl std::io::Write for W<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = DefaultHasher::new();
    let _ = serde_json::to_writer(W(&mut h), v);
    h.finish()
}

#[derive(Serialize)]
pub struct MenuItem {
    title: String,
    url: String,
    /// The title's language when it is not the page's (the page is not translated).
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Paginator {
    current: usize,
    total: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub(super) struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Stands for the pages left out between its neighbours (shown as "…").
    gap: bool,
}

/// One page of a list of signs.
pub(super) struct ListPage<'l, 'a> {
    pub path: String,
    /// The signs it shows.
    pub signs: &'a [usize],
    /// The list's path (its first page's), this page's number and the number of pages.
    list: &'l str,
    number: usize,
    total: usize,
}

impl<'a> ListPage<'_, 'a> {
    /// Its `signs` and `paginator` parts.
    pub fn parts(&self, urls: &Urls) -> [(&'static str, Part<'a>); 2] {
        let paginator = paginator(urls, self.list, self.number, self.total);
        [
            ("signs", Part::Signs(self.signs)),
            ("paginator", value(&paginator)),
        ]
    }
}

/// The pages of the list of `signs` whose first page is at `path`.
pub(super) fn list_pages<'l, 'a>(
    path: &'l str,
    signs: &'a [usize],
    per_page: usize,
) -> Vec<ListPage<'l, 'a>> {
    let pages = paginate(signs.len(), per_page);
    let total = pages.len();
    pages
        .into_iter()
        .enumerate()
        .map(|(n, range)| ListPage {
            path: paged(path, n + 1),
            signs: &signs[range],
            list: path,
            number: n + 1,
            total,
        })
        .collect()
}

/// Page `n` of a list whose first page is at `path` (`tags/art/` → `tags/art/page/2/`).
pub(super) fn paged(path: &str, n: usize) -> String {
    if n <= 1 {
        path.to_string()
    } else {
        format!("{path}{PAGINATION}/{n}/")
    }
}

/// The navigation of page `number` of `total`: the first and last pages and two on
/// each side of the current one, with gaps, so that an archive of 400 pages does not
/// put 400 links on every page.
pub(super) fn paginator(urls: &Urls, path: &str, number: usize, total: usize) -> Paginator {
    let mut pages = Vec::new();
    for k in 1..=total {
        let near = k == 1 || k == total || k.abs_diff(number) <= 2;
        if near {
            pages.push(PageLink {
                number: k,
                url: urls.url(&paged(path, k)),
                current: k == number,
                gap: false,
            });
        } else if pages.last().is_some_and(|p: &PageLink| !p.gap) {
            pages.push(PageLink {
                number: k,
                url: String::new(),
                current: false,
                gap: true,
            });
        }
    }
    Paginator {
        current: number,
        total,
        prev_url: (number > 1).then(|| urls.url(&paged(path, number - 1))),
        next_url: (number < total).then(|| urls.url(&paged(path, number + 1))),
        pages,
    }
}

#[derive(Serialize)]
pub(super) struct PageView<'a> {
    pub(super) title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) date: Option<String>,
    pub(super) content_html: String,
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) slug: &'a str,
    /// The page's language when it is not the page's own (it has no translation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lang: Option<String>,
}

#[derive(Serialize)]
pub struct SitemapEntry {
    pub(super) url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lastmod: Option<String>,
    /// The page in each language of a multilingual site (`xhtml:link` alternates).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) alternates: Vec<SitemapAlternate>,
}

#[derive(Serialize)]
pub(super) struct SitemapAlternate {
    pub(super) lang: String,
    pub(super) url: String,
}

pub(super) fn value<T: Serialize + ?Sized>(v: &T) -> Part<'static> {
    let v = tera::to_value(v).expect("views serialise");
    let hash = hash_value(&v);
    Part::Value(std::sync::Arc::new((v, hash)))
}

/// The context every page of `lang` shares.
pub fn base_context(input: &RenderInput, lang: &Lang) -> Context {
    let site = input.site;
    let urls = Urls::for_lang(site, lang.code);
    let mut menu: Vec<(&ContentPage, i64)> = input
        .pages
        .iter()
        .filter_map(|p| p.meta.weight.map(|w| (p, w)))
        .collect();
    menu.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then_with(|| a.0.meta.title.cmp(&b.0.meta.title))
    });
    let menu: Vec<MenuItem> = menu
        .into_iter()
        .map(|(p, _)| {
            let (meta, _, fell) = p.in_lang(lang.code, lang.default);
            MenuItem {
                title: meta
                    .title
                    .clone()
                    .unwrap_or_else(|| p.path.trim_end_matches('/').to_string()),
                url: urls.url(&p.path),
                lang: fell.and_then(|l| lang.mark(l)),
            }
        })
        .collect();
    let site_view = SiteView {
        title: site.title(lang.code).to_string(),
        description: site.description(lang.code).to_string(),
        language: lang.code.to_string(),
        base_url: site.base_url.clone(),
        root: site.base_path.clone(),
        author: site.config.author.clone(),
        generator: format!("glyph {}", env!("CARGO_PKG_VERSION")),
    };
    let mut base = Context::new();
    base.insert("site", &site_view);
    base.insert("menu", &menu);
    base.insert("live_reload", &input.live_reload);
    base.insert("lang_root", &urls.url(""));
    base.insert("lang_prefix", &urls.prefix);
    if site.multilingual() {
        base.insert("og_locale", &crate::i18n::og_locale(lang.code));
        base.insert("js_words", &js_words(lang));
    }
    base
}

/// The scripts' words in `lang` (the `js.` keys, without the prefix) as JSON, for
/// `<body data-words>`.
fn js_words(lang: &Lang) -> String {
    let mut out = serde_json::Map::new();
    let keys = lang
        .words
        .all()
        .get(lang.default)
        .into_iter()
        .flat_map(|m| m.keys());
    for key in keys {
        if let (Some(short), Some((entry, _))) =
            (key.strip_prefix("js."), lang.words.lookup(lang.code, key))
        {
            out.insert(
                short.to_string(),
                serde_json::to_value(entry).expect("words serialise"),
            );
        }
    }
    serde_json::Value::Object(out).to_string()
}

/// A distance as a reader wants it: tens of metres close by, then tenths of a km,
/// then whole km ("40 m", "3.5 km", "12 km", "2051 km").
pub fn distance_label(km: f64) -> String {
    let metres = (km * 100.0).round() * 10.0;
    let tenths = (km * 10.0).round() / 10.0;
    if metres < 1000.0 {
        format!("{metres:.0} m")
    } else if tenths < 10.0 {
        format!("{tenths:.1} km")
    } else {
        format!("{:.0} km", km.round())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_read_alike() {
        let labels: Vec<_> = [0.0, 0.04, 0.996, 3.46, 9.96, 10.0, 12.4, 1265.0, 2050.8]
            .into_iter()
            .map(distance_label)
            .collect();
        assert_eq!(
            labels,
            ["0 m", "40 m", "1.0 km", "3.5 km", "10 km", "10 km", "12 km", "1265 km", "2051 km"]
        );
    }

    #[test]
    fn long_paginations_keep_the_ends_and_the_neighbours() {
        let urls = Urls {
            base_path: "/".into(),
            base_url: "https://example.org/".into(),
            prefix: String::new(),
        };
        let p = paginator(&urls, "tags/art/", 10, 400);
        let shown: Vec<String> = p
            .pages
            .iter()
            .map(|l| {
                if l.gap {
                    "…".into()
                } else {
                    l.number.to_string()
                }
            })
            .collect();
        assert_eq!(shown, ["1", "…", "8", "9", "10", "11", "12", "…", "400"]);
        assert_eq!(p.pages[4].url, "/tags/art/page/10/");
        assert!(p.pages[4].current);
        assert_eq!(p.prev_url.as_deref(), Some("/tags/art/page/9/"));
        assert_eq!(paginator(&urls, "", 1, 3).pages.len(), 3);
        assert_eq!(paginator(&urls, "", 1, 1).next_url, None);
        assert_eq!(paged("", 1), "");
        assert_eq!(paged("", 2), "page/2/");
    }
}
