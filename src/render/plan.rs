//! Planning the site's pages: every page as a job (template, output path, the parts
//! of its context), in the order the sitemap lists them. Each language's pages are
//! planned alike, under its own prefix (`es/`), with the same paths below it.

use serde::Serialize;

use super::context::*;
use super::jobs::*;
use super::touched::{Deps, Touched};
use super::{markdown, overview, shapes, RenderInput};
use crate::catalog::paginate;

/// A language's pages, planned.
pub struct Planned<'a> {
    /// The pages `touched` wants, in the order the sitemap lists them.
    pub jobs: Vec<Job<'a>>,
    /// The sitemap entries of every page, planned or kept, in the site's order.
    pub sitemap: Vec<SitemapEntry>,
    /// The output paths of the pages left as they are.
    pub kept: Vec<String>,
}

/// Every page of the site in `lang` but the sitemap: those an edit touches as jobs,
/// the others as kept.
pub fn plan_jobs<'a>(
    input: &'a RenderInput,
    views: &'a [SignView],
    lang: &Lang<'a>,
    touched: &'a Touched<'a>,
) -> Planned<'a> {
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
        touched,
        jobs: Vec::new(),
        sitemap: Vec::new(),
        kept: Vec::new(),
    };
    p.home(input);
    p.signs(input, views);
    p.styles(input, views);
    p.places(input, views);
    p.pages(input);
    p.tools(input, views);
    Planned {
        jobs: p.jobs,
        sitemap: p.sitemap,
        kept: p.kept,
    }
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

/// The jobs planned so far, the pages kept, and the sitemap entries of both.
struct Planner<'a> {
    urls: Urls,
    lang: Lang<'a>,
    /// Every language of a multilingual site (none for one language): code, URLs, name.
    languages: Vec<(String, Urls, String)>,
    views: &'a [SignView],
    touched: &'a Touched<'a>,
    jobs: Vec<Job<'a>>,
    sitemap: Vec<SitemapEntry>,
    kept: Vec<String>,
}

impl<'a> Planner<'a> {
    /// The page's output file below the site root.
    fn out(&self, path: &str) -> String {
        let prefix = &self.urls.prefix;
        if path.is_empty() || path.ends_with('/') {
            format!("{prefix}{path}index.html")
        } else {
            format!("{prefix}{path}")
        }
    }

    /// Whether the page at `path`, made from `deps`, is to be planned; if not, it is
    /// listed as kept (and in the sitemap) without anything made for it.
    fn wants(&mut self, kind: Kind, path: &str, deps: Deps, lastmod: &Option<String>) -> bool {
        if self.touched.wants(&self.out(path), deps) {
            return true;
        }
        self.keep(kind, path, lastmod.clone());
        false
    }

    /// The page at `path` stays as it is: only its sitemap entry is made.
    fn keep(&mut self, kind: Kind, path: &str, lastmod: Option<String>) {
        let alternates = self.alternates(path);
        self.note(kind, path, lastmod, &alternates);
        self.kept.push(self.out(path));
    }

    fn alternates(&self, path: &str) -> Vec<Alternate> {
        self.languages
            .iter()
            .map(|(code, urls, name)| Alternate {
                lang: code.clone(),
                name: name.clone(),
                url: urls.url(path),
                permalink: urls.permalink(path),
                og_locale: crate::i18n::og_locale(code),
            })
            .collect()
    }

    /// The page's sitemap entry, for an HTML page but the 404.
    fn note(&mut self, kind: Kind, path: &str, lastmod: Option<String>, alternates: &[Alternate]) {
        if kind.template().ends_with(".html") && kind != Kind::NotFound {
            self.sitemap.push(SitemapEntry {
                url: self.urls.permalink(path),
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
    }

    fn add(
        &mut self,
        kind: Kind,
        path: String,
        mut parts: Vec<(&'static str, Part<'a>)>,
        lastmod: Option<String>,
    ) {
        let template = kind.template();
        let alternates = self.alternates(&path);
        self.note(kind, &path, lastmod, &alternates);
        let html = template.ends_with(".html");
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
        let out = self.out(&path);
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
            if !self.wants(
                Kind::Home,
                &paged("", number),
                Deps::Range(range.clone()),
                &None,
            ) {
                continue;
            }
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
            let path = sign_path(&v.slug);
            let nearby = &input.catalog.nearby[i];
            let mut deps: Vec<usize> = (i.saturating_sub(1)..(i + 2).min(views.len())).collect();
            deps.extend(nearby.iter().map(|(j, _)| *j));
            if !self.wants(Kind::Sign, &path, Deps::List(deps), &v.date) {
                continue;
            }
            let mut parts = vec![("sign", Part::Sign(i))];
            if i > 0 {
                parts.push(("prev", Part::Sign(i - 1)));
            }
            if i + 1 < views.len() {
                parts.push(("next", Part::Sign(i + 1)));
            }
            parts.push(("nearby", Part::Nearby(nearby)));
            parts.push((
                "minimap",
                value(&map_point(v).and_then(|p| mini_map(vec![p], 24.0))),
            ));
            self.add(Kind::Sign, path, parts, v.date.clone());
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
        if self.wants(Kind::Tags, "tags/", Deps::All, &None) {
            let lists = cat
                .tags
                .iter()
                .map(|t| (t.slug.as_str(), t.signs.as_slice()));
            let covers = overview::covers(views, lists);
            let parts = vec![("tags", value(&tag_views)), ("covers", value(&covers))];
            self.add(Kind::Tags, "tags/".into(), parts, None);
        }
        // Values shared by every page of a list are serialised once, not once a page.
        for (t, view) in cat.tags.iter().zip(&tag_views) {
            let per_page = input.site.config.per_page;
            let mut tag = None;
            let path = tag_path(&t.slug);
            for page in list_pages(&path, &t.signs, per_page) {
                if !self.wants(Kind::Tag, &page.path, Deps::Signs(page.signs), &None) {
                    continue;
                }
                let tag = tag.get_or_insert_with(|| value(view)).clone();
                let mut parts = vec![("tag", tag)];
                parts.extend(page.parts(&self.urls));
                self.add(Kind::Tag, page.path, parts, None);
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
        if self.wants(Kind::Countries, "countries/", Deps::All, &None) {
            self.countries_page(input, views, &country_views);
        }
        for (entry, view) in cat.countries.iter().zip(&country_views) {
            let code = entry.country.code;
            // Each page shows the map of all the country's signs, not only its own.
            let path = country_path(&entry.slug);
            let pages = self.wanted(list_pages(&path, &entry.signs, per_page), &entry.signs);
            let country = value(view);
            let mut minimap = None;
            for (page, wanted) in pages {
                if !wanted {
                    self.keep(Kind::Country, &page.path, None);
                    continue;
                }
                // The country's own outline where the data has it, else the world's.
                let minimap = minimap.get_or_insert_with(|| {
                    let points = map_points(views, &entry.signs);
                    value(
                        &shapes::country_map(code, points.clone())
                            .or_else(|| mini_map(points, 20.0)),
                    )
                });
                let mut parts = vec![("country", country.clone()), ("minimap", minimap.clone())];
                parts.extend(page.parts(&self.urls));
                self.add(Kind::Country, page.path, parts, None);
            }
            for (city, city_view) in entry.cities.iter().zip(&view.cities) {
                let path = city_path(&entry.slug, &city.slug);
                let pages = self.wanted(list_pages(&path, &city.signs, per_page), &city.signs);
                let mut made = None;
                for (page, wanted) in pages {
                    if !wanted {
                        self.keep(Kind::City, &page.path, None);
                        continue;
                    }
                    let (city_value, minimap) = made
                        .get_or_insert_with(|| {
                            let points = map_points(views, &city.signs);
                            let map = shapes::city_map(code, points.clone(), 6.0)
                                .or_else(|| mini_map(points, 6.0));
                            (value(city_view), value(&map))
                        })
                        .clone();
                    let mut parts = vec![("country", country.clone()), ("city", city_value)];
                    parts.push(("minimap", minimap));
                    parts.extend(page.parts(&self.urls));
                    self.add(Kind::City, page.path, parts, None);
                }
            }
        }
    }

    /// Each page of a list, and whether it is to be planned, when each of them shows
    /// `deps`. Nothing is noted yet: the sitemap lists the pages in their order, planned
    /// or kept.
    fn wanted<'l>(
        &self,
        pages: Vec<ListPage<'l, 'a>>,
        deps: &[usize],
    ) -> Vec<(ListPage<'l, 'a>, bool)> {
        pages
            .into_iter()
            .map(|p| {
                let wanted = self.touched.wants(&self.out(&p.path), Deps::Signs(deps));
                (p, wanted)
            })
            .collect()
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
            let lastmod = p.meta.date.map(|d| d.date.to_string());
            // Its share image is the newest sign's.
            if !self.wants(Kind::Page, &p.path, Deps::List(vec![0]), &lastmod) {
                continue;
            }
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
        if self.wants(Kind::Map, "map/", Deps::All, &None) {
            let points: Vec<MapPoint> = views.iter().filter_map(map_point).collect();
            let parts = vec![("points", value(&points)), ("map", value(&site.config.map))];
            self.add(Kind::Map, "map/".into(), parts, None);
        }
        // Pages without a list share the newest sign's image.
        if self.wants(Kind::Search, "search/", Deps::List(vec![0]), &None) {
            let (tags, countries) = super::search::facets(input.catalog, &self.lang);
            let parts = vec![
                ("tags", value(&tags)),
                ("countries", value(&countries)),
                ("index_url", value(&self.urls.url("search.json"))),
            ];
            self.add(Kind::Search, "search/".into(), parts, None);
        }
        if self.wants(Kind::NotFound, "404.html", Deps::List(vec![0]), &None) {
            self.add(Kind::NotFound, "404.html".into(), vec![], None);
        }
        let n = site.config.feed_limit.min(views.len());
        // The newest entry's time: the lists are ordered by it.
        let updated = views
            .first()
            .and_then(|v| v.listed.clone())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        if self.wants(Kind::Feed, "atom.xml", Deps::Range(0..n.max(1)), &None) {
            let parts = vec![
                ("signs", Part::Range(0..n)),
                ("updated", value(&updated)),
                ("feed_url", value(&self.urls.permalink("atom.xml"))),
            ];
            self.add(Kind::Feed, "atom.xml".into(), parts, None);
        }
        // Crawlers read robots.txt at the root only.
        if self.urls.prefix.is_empty()
            && self.wants(Kind::Robots, "robots.txt", Deps::Nothing, &None)
        {
            self.add(Kind::Robots, "robots.txt".into(), vec![], None);
        }
    }
}

/// The map points of `signs` that have a place.
fn map_points(views: &[SignView], signs: &[usize]) -> Vec<MapPoint> {
    signs.iter().filter_map(|&i| map_point(&views[i])).collect()
}

/// Countries in the order of their names in the page's language: the catalog's order
/// is the default language's, and "Alemania" comes before "Francia" in Spanish.
fn by_name(all: &[CountryView]) -> Vec<&CountryView> {
    let mut sorted: Vec<&CountryView> = all.iter().collect();
    sorted.sort_by_cached_key(|c| (deunicode::deunicode(&c.name).to_lowercase(), c.code.clone()));
    sorted
}
