//! Planning the site's pages: every page as a job (template, output path, the parts
//! of its context), in the order the sitemap lists them. Each language's pages are
//! planned alike, under its own prefix (`es/`), with the same paths below it.

use serde::Serialize;

use super::context::*;
use super::jobs::*;
use super::{markdown, overview, shapes, RenderInput};
use crate::catalog::paginate;

/// Every page of the site in `lang` (but the sitemap), in a stable order: the order the
/// sitemap lists them in; and their sitemap entries.
pub fn plan_jobs<'a>(
    input: &'a RenderInput,
    views: &'a [SignView],
    lang: &Lang<'a>,
) -> (Vec<Job<'a>>, Vec<SitemapEntry>) {
    let site = input.site;
    let mut p = Planner {
        urls: Urls::for_lang(site, lang.code),
        lang: *lang,
        languages: site
            .languages
            .iter()
            .filter(|_| site.multilingual())
            .map(|code| {
                (
                    code.clone(),
                    Urls::for_lang(site, code),
                    language_name(lang, code),
                )
            })
            .collect(),
        views,
        jobs: Vec::new(),
        sitemap: Vec::new(),
    };
    p.home(input);
    p.signs(input, views);
    p.styles(input, views);
    p.places(input, views);
    p.pages(input);
    p.tools(input, views);
    (p.jobs, p.sitemap)
}

/// A language's name in itself (its `lang.name`), for the language switch.
fn language_name(lang: &Lang, code: &str) -> String {
    lang.words
        .all()
        .get(code)
        .and_then(|m| m.get("lang.name"))
        .and_then(|e| match e {
            crate::i18n::Entry::Text(s) => Some(s.clone()),
            crate::i18n::Entry::Plural(_) => None,
        })
        .unwrap_or_else(|| code.to_string())
}

/// The sitemap of every page of every language, at the root.
pub fn sitemap_job<'a>(urls: &Urls, entries: Vec<SitemapEntry>) -> Job<'a> {
    let alternates_used = entries.iter().any(|e| !e.alternates.is_empty());
    let parts = vec![
        ("alternates_used", value(&alternates_used)),
        ("entries", value(&entries)),
        ("page_kind", value(Kind::Sitemap.name())),
        ("current_path", value("sitemap.xml")),
        ("current_url", value(&urls.permalink("sitemap.xml"))),
    ];
    Job {
        template: Kind::Sitemap.template(),
        out: "sitemap.xml".into(),
        parts,
    }
}

/// The same page in one of the site's languages.
#[derive(Serialize)]
pub struct Alternate {
    lang: String,
    /// Its name in its own language (`Español`).
    name: String,
    url: String,
    permalink: String,
    og_locale: String,
}

/// The jobs planned so far, and the sitemap entries of their pages.
struct Planner<'a> {
    urls: Urls,
    lang: Lang<'a>,
    /// Every language of a multilingual site (none for one language): code, URLs, name.
    languages: Vec<(String, Urls, String)>,
    views: &'a [SignView],
    jobs: Vec<Job<'a>>,
    sitemap: Vec<SitemapEntry>,
}

impl<'a> Planner<'a> {
    fn add(
        &mut self,
        kind: Kind,
        path: String,
        mut parts: Vec<(&'static str, Part<'a>)>,
        lastmod: Option<String>,
    ) {
        let template = kind.template();
        let alternates: Vec<Alternate> = self
            .languages
            .iter()
            .map(|(code, urls, name)| Alternate {
                lang: code.clone(),
                name: name.clone(),
                url: urls.url(&path),
                permalink: urls.permalink(&path),
                og_locale: crate::i18n::og_locale(code),
            })
            .collect();
        let html = template.ends_with(".html");
        if html && kind != Kind::NotFound {
            self.sitemap.push(SitemapEntry {
                url: self.urls.permalink(&path),
                lastmod,
                alternates: alternates
                    .iter()
                    .map(|a| SitemapAlternate {
                        lang: a.lang.clone(),
                        url: a.permalink.clone(),
                    })
                    .collect(),
            });
        }
        if html && !alternates.is_empty() {
            parts.push(("alternates", value(&alternates)));
        }
        if !matches!(kind, Kind::Sign | Kind::Feed | Kind::Sitemap | Kind::Robots) {
            let og = super::share::og_image(&self.urls, self.views, &parts);
            parts.push(("og_image", value(&og)));
        }
        parts.push(("page_kind", value(kind.name())));
        parts.push(("current_path", value(&path)));
        parts.push(("current_url", value(&self.urls.permalink(&path))));
        let prefix = &self.urls.prefix;
        let out = if path.is_empty() || path.ends_with('/') {
            format!("{prefix}{path}index.html")
        } else {
            format!("{prefix}{path}")
        };
        self.jobs.push(Job {
            template,
            out,
            parts,
        });
    }

    /// The home page, paginated.
    fn home(&mut self, input: &'a RenderInput) {
        let site = input.site;
        let pages = paginate(input.catalog.signs.len(), site.config.per_page);
        let lang = &self.lang;
        let (intro, intro_lang) = match input.home_intro_translations.get(lang.code) {
            Some(md) => (Some(md.as_str()), None),
            None => (input.home_intro, lang.mark(lang.default)),
        };
        let intro = intro
            .map(|md| markdown::to_html(md, &site.base_path, markdown::RawHtml::Allowed))
            .unwrap_or_default();
        for (n, range) in pages.iter().enumerate() {
            let number = n + 1;
            let parts = vec![
                ("signs", Part::Range(range.clone())),
                ("sign_count", value(&input.catalog.signs.len())),
                ("intro_html", value(&intro)),
                ("intro_lang", value(&intro_lang)),
                (
                    "paginator",
                    value(&paginator(&self.urls, "", number, pages.len())),
                ),
            ];
            self.add(Kind::Home, paged("", number), parts, None);
        }
    }

    /// One page per sign.
    fn signs(&mut self, input: &'a RenderInput, views: &'a [SignView]) {
        for (i, v) in views.iter().enumerate() {
            let mut parts = vec![("sign", Part::Sign(i))];
            if i > 0 {
                parts.push(("prev", Part::Sign(i - 1)));
            }
            if i + 1 < views.len() {
                parts.push(("next", Part::Sign(i + 1)));
            }
            parts.push(("nearby", Part::Nearby(&input.catalog.nearby[i])));
            parts.push((
                "minimap",
                value(&map_point(v).and_then(|p| mini_map(vec![p], 24.0))),
            ));
            self.add(Kind::Sign, sign_path(&v.slug), parts, v.date.clone());
        }
    }

    /// The styles page and each style's pages.
    fn styles(&mut self, input: &'a RenderInput, views: &'a [SignView]) {
        let cat = input.catalog;
        let tag_views: Vec<TagRef> = cat
            .tags
            .iter()
            .map(|t| tag_view(&self.urls, &self.lang, t))
            .collect();
        let lists = cat
            .tags
            .iter()
            .map(|t| (t.slug.as_str(), t.signs.as_slice()));
        let covers = overview::covers(views, lists);
        let parts = vec![("tags", value(&tag_views)), ("covers", value(&covers))];
        self.add(Kind::Tags, "tags/".into(), parts, None);
        // Values shared by every page of a list are serialised once, not once a page.
        for (t, view) in cat.tags.iter().zip(&tag_views) {
            let tag = value(view);
            let per_page = input.site.config.per_page;
            for (path, list) in list_pages(&self.urls, &tag_path(&t.slug), &t.signs, per_page) {
                let mut parts = vec![("tag", tag.clone())];
                parts.extend(list);
                self.add(Kind::Tag, path, parts, None);
            }
        }
    }

    /// The countries page, each country's pages and each city's.
    fn places(&mut self, input: &'a RenderInput, views: &'a [SignView]) {
        let cat = input.catalog;
        let per_page = input.site.config.per_page;
        let country_views: Vec<CountryView> = cat
            .countries
            .iter()
            .map(|c| country_view(&self.urls, &self.lang, c))
            .collect();
        self.countries_page(input, views, &country_views);
        for (entry, view) in cat.countries.iter().zip(&country_views) {
            let points: Vec<MapPoint> = entry
                .signs
                .iter()
                .filter_map(|&i| map_point(&views[i]))
                .collect();
            let code = entry.country.code;
            // The country's own outline where the data has it, else the world's.
            let minimap = value(
                &shapes::country_map(code, points.clone()).or_else(|| mini_map(points, 20.0)),
            );
            let country = value(view);
            let path = country_path(&entry.slug);
            for (page_path, list) in list_pages(&self.urls, &path, &entry.signs, per_page) {
                let mut parts = vec![("country", country.clone()), ("minimap", minimap.clone())];
                parts.extend(list);
                self.add(Kind::Country, page_path, parts, None);
            }
            for (city, city_view) in entry.cities.iter().zip(&view.cities) {
                let path = city_path(&entry.slug, &city.slug);
                let city_value = value(city_view);
                let points: Vec<MapPoint> = city
                    .signs
                    .iter()
                    .filter_map(|&i| map_point(&views[i]))
                    .collect();
                let minimap = value(
                    &shapes::city_map(code, points.clone(), 6.0).or_else(|| mini_map(points, 6.0)),
                );
                for (page_path, list) in list_pages(&self.urls, &path, &city.signs, per_page) {
                    let mut parts =
                        vec![("country", country.clone()), ("city", city_value.clone())];
                    parts.push(("minimap", minimap.clone()));
                    parts.extend(list);
                    self.add(Kind::City, page_path, parts, None);
                }
            }
        }
    }

    /// /countries/: by count and by name, a cover each, and the world overview.
    fn countries_page(&mut self, input: &RenderInput, views: &[SignView], all: &[CountryView]) {
        let cat = input.catalog;
        let lists = cat
            .countries
            .iter()
            .map(|c| (c.country.code, c.signs.as_slice()));
        let parts = vec![
            ("countries", value(&overview::by_count(all))),
            ("countries_by_name", value(&by_name(all))),
            ("covers", value(&overview::covers(views, lists))),
            ("world", value(&overview::world(views, &cat.countries, all))),
        ];
        self.add(Kind::Countries, "countries/".into(), parts, None);
    }

    /// The curator's content pages.
    fn pages(&mut self, input: &'a RenderInput) {
        let site = input.site;
        for p in input.pages {
            let (meta, body, fell) = p.in_lang(self.lang.code, self.lang.default);
            let slug = p
                .path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            let page = PageView {
                title: meta.title.as_deref().unwrap_or(slug),
                description: meta.description.as_deref(),
                date: meta.date.map(|d| d.date.to_string()),
                content_html: markdown::to_html(body, &site.base_path, markdown::RawHtml::Allowed),
                url: self.urls.url(&p.path),
                permalink: self.urls.permalink(&p.path),
                slug,
                lang: fell.and_then(|l| self.lang.mark(l)),
            };
            let lastmod = p.meta.date.map(|d| d.date.to_string());
            self.add(
                Kind::Page,
                p.path.clone(),
                vec![("page", value(&page))],
                lastmod,
            );
        }
    }

    /// The map, search, the 404 page, the feed and robots.txt.
    fn tools(&mut self, input: &'a RenderInput, views: &'a [SignView]) {
        let site = input.site;
        let points: Vec<MapPoint> = views.iter().filter_map(map_point).collect();
        let parts = vec![("points", value(&points)), ("map", value(&site.config.map))];
        self.add(Kind::Map, "map/".into(), parts, None);
        let (tags, countries) = super::search::facets(input.catalog, &self.lang);
        let parts = vec![
            ("tags", value(&tags)),
            ("countries", value(&countries)),
            ("index_url", value(&self.urls.url("search.json"))),
        ];
        self.add(Kind::Search, "search/".into(), parts, None);
        self.add(Kind::NotFound, "404.html".into(), vec![], None);
        let n = site.config.feed_limit.min(views.len());
        // The newest entry's time: the lists are ordered by it.
        let updated = views
            .first()
            .and_then(|v| v.listed.clone())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        let parts = vec![
            ("signs", Part::Range(0..n)),
            ("updated", value(&updated)),
            ("feed_url", value(&self.urls.permalink("atom.xml"))),
        ];
        self.add(Kind::Feed, "atom.xml".into(), parts, None);
        // Crawlers read robots.txt at the root only.
        if self.urls.prefix.is_empty() {
            self.add(Kind::Robots, "robots.txt".into(), vec![], None);
        }
    }
}

/// Countries in the order of their names in the page's language: the catalog's order
/// is the default language's, and "Alemania" comes before "Francia" in Spanish.
fn by_name(all: &[CountryView]) -> Vec<&CountryView> {
    let mut sorted: Vec<&CountryView> = all.iter().collect();
    sorted.sort_by_cached_key(|c| (deunicode::deunicode(&c.name).to_lowercase(), c.code.clone()));
    sorted
}
