//! Render: every page of the site, in memory, through Tera (autoescaping everything a
//! curator wrote); plus `signs.json`, the catalog as open data.
//!
//! Contexts are built once per sign and shared by every page that lists it; the pages
//! themselves render in parallel.

pub mod context;
pub mod markdown;
pub mod theme;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::catalog::{paginate, Catalog};
use crate::config::Site;
use crate::diag::{rel, Diagnostic};
use crate::imaging::Rendition;
use crate::metadata::frontmatter::PageMeta;
use context::*;
use theme::Theme;

/// First path segments that belong to generated pages; a content page may not take them.
pub const RESERVED: &[&str] = &["signs", "tags", "countries", "page", "media", "map"];

/// A content page, parsed.
#[derive(Debug, Clone)]
pub struct ContentPage {
    /// Output path below the site root, with trailing slash (`about/`).
    pub path: String,
    pub source: PathBuf,
    pub meta: PageMeta,
    pub body: String,
}

pub struct RenderInput<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub catalog: &'a Catalog,
    /// Per sign (same index as `catalog.signs`): its renditions and placeholder colour.
    pub images: &'a [(Vec<Rendition>, [u8; 3])],
    pub pages: &'a [ContentPage],
    pub home_intro: Option<&'a str>,
    pub live_reload: bool,
}

/// One output file: path below the output root, and its bytes.
pub type OutputFile = (String, Vec<u8>);

struct Job {
    template: &'static str,
    out: String,
    ctx: Context,
}

pub fn render(input: &RenderInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let tera = build_tera(input.site, input.theme).map_err(|d| vec![d])?;
    let urls = Urls::new(input.site);
    let views: Vec<SignView> = input
        .catalog
        .signs
        .par_iter()
        .zip(input.images.par_iter())
        .map(|(s, (r, color))| sign_view(input.site, &urls, input.catalog, s, r, *color))
        .collect();
    let jobs = plan_jobs(input, &views);
    let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            tera.render(job.template, &job.ctx)
                .map(|html| (job.out.clone(), html.into_bytes()))
                .map_err(|e| {
                    template_error(input.site, input.theme, job.template, &e, Some(&job.out))
                })
        })
        .collect();
    let mut files = Vec::with_capacity(rendered.len() + 1);
    let mut problems = Vec::new();
    for r in rendered {
        match r {
            Ok(f) => files.push(f),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        problems.dedup_by(|a, b| a.message == b.message);
        return Err(problems);
    }
    files.push(("signs.json".into(), signs_json(&views)));
    Ok(files)
}

fn build_tera(site: &Site, theme: &Theme) -> Result<Tera, Diagnostic> {
    let mut sources = Vec::new();
    for (name, src) in &theme.templates {
        let bytes = src.read().map_err(|e| {
            Diagnostic::error(format!("cannot read template: {e}"))
                .file(src.describe(name, "templates"))
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Diagnostic::error("template is not UTF-8 text")
                .file(rel(&site.root, &src.describe(name, "templates")))
        })?;
        sources.push((name.clone(), text));
    }
    let mut tera = Tera::default();
    // Escape in every template, XML and text included: curator text reaches them all.
    tera.autoescape_on(vec![""]);
    tera.set_escape_fn(escape);
    tera.add_raw_templates(sources).map_err(|e| {
        let name = failing_template(&e).unwrap_or_default();
        template_error(site, theme, &name, &e, None)
    })?;
    for required in [
        "index.html",
        "sign.html",
        "tags.html",
        "tag.html",
        "countries.html",
        "country.html",
        "city.html",
        "map.html",
        "page.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        if !tera.get_template_names().any(|n| n == required) {
            return Err(
                Diagnostic::error(format!("the theme has no `{required}` template")).hint(
                    "add it to the theme's templates/ folder or the site's templates/ folder",
                ),
            );
        }
    }
    let base = site.base_path.clone();
    tera.register_function("url", move |args: &HashMap<String, Value>| {
        let path = args.get("path").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg("url() needs a `path` argument, such as url(path=\"css/glyph.css\")")
        })?;
        Ok(Value::String(format!(
            "{}{}",
            base,
            path.trim_start_matches('/')
        )))
    });
    Ok(tera)
}

/// HTML escaping for text and attribute values. Unlike Tera's default it leaves `/`
/// alone, which needs no escaping in HTML or XML and made every URL unreadable.
pub fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// Tera's parse errors name the template as `Failed to parse "x.html"` (or with single quotes).
fn failing_template(e: &tera::Error) -> Option<String> {
    let msg = e.to_string();
    let start = msg.find(['"', '\''])?;
    let quote = msg[start..].chars().next()?;
    let rest = &msg[start + 1..];
    Some(rest[..rest.find(quote)?].to_string())
}

fn template_error(
    site: &Site,
    theme: &Theme,
    name: &str,
    e: &tera::Error,
    page: Option<&str>,
) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        chain.push(s.to_string());
        src = s.source();
    }
    let full = chain.join("\n");
    // Parse errors carry " --> line:col".
    let pos = full.split("--> ").nth(1).and_then(|rest| {
        let (l, c) = rest.split_once(':')?;
        let c: String = c.chars().take_while(char::is_ascii_digit).collect();
        Some((l.trim().parse().ok()?, c.parse().ok()?))
    });
    let file = theme
        .templates
        .get(name)
        .map(|s| rel(&site.root, &s.describe(name, "templates")))
        .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")));
    let detail = chain.last().cloned().unwrap_or_default();
    let detail = detail
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let msg = match page {
        Some(p) => format!("template error while rendering /{p}: {detail}"),
        None => format!("template error: {detail}"),
    };
    Diagnostic::error(msg)
        .file(file)
        .at_opt(pos)
        .hint("fix the template; Tera's syntax is described at https://keats.github.io/tera/docs/")
}

#[derive(Serialize)]
struct MenuItem {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    content_html: String,
    url: String,
    permalink: String,
    slug: &'a str,
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    lastmod: Option<String>,
}

fn plan_jobs(input: &RenderInput, views: &[SignView]) -> Vec<Job> {
    let site = input.site;
    let cat = input.catalog;
    let urls = Urls::new(site);
    let values: Vec<Value> = views
        .iter()
        .map(|v| tera::to_value(v).expect("views serialise"))
        .collect();
    let pick = |idx: &[usize]| Value::Array(idx.iter().map(|i| values[*i].clone()).collect());

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
        .map(|(p, _)| MenuItem {
            title: p
                .meta
                .title
                .clone()
                .unwrap_or_else(|| p.path.trim_end_matches('/').to_string()),
            url: urls.url(&p.path),
        })
        .collect();
    let site_view = SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        language: site.config.language.clone(),
        base_url: site.base_url.clone(),
        root: site.base_path.clone(),
        author: site.config.author.clone(),
        sign_count: cat.signs.len(),
        generator: format!("glyph {}", env!("CARGO_PKG_VERSION")),
    };
    let mut base = Context::new();
    base.insert("site", &site_view);
    base.insert("menu", &menu);
    base.insert("live_reload", &input.live_reload);
    let ctx = |kind: &str, path: &str| {
        let mut c = base.clone();
        c.insert("page_kind", kind);
        c.insert("current_path", path);
        c.insert("current_url", &urls.permalink(path));
        c
    };

    let mut jobs = Vec::new();
    let mut sitemap = Vec::new();
    let mut add = |template: &'static str, path: String, c: Context, lastmod: Option<String>| {
        if template.ends_with(".html") && template != "404.html" {
            sitemap.push(SitemapEntry {
                url: urls.permalink(&path),
                lastmod,
            });
        }
        let out = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path
        };
        jobs.push(Job {
            template,
            out,
            ctx: c,
        });
    };

    // Home, paginated.
    let pages = paginate(cat.signs.len(), site.config.per_page);
    let intro = input
        .home_intro
        .map(|md| markdown::to_html(md, &site.base_path))
        .unwrap_or_default();
    for (n, range) in pages.iter().enumerate() {
        let number = n + 1;
        let path = home_page_path(number);
        let mut c = ctx("home", &path);
        let idx: Vec<usize> = range.clone().collect();
        c.insert("signs", &pick(&idx));
        c.insert("intro_html", &intro);
        c.insert(
            "paginator",
            &Paginator {
                current: number,
                total: pages.len(),
                prev_url: (number > 1).then(|| urls.url(&home_page_path(number - 1))),
                next_url: (number < pages.len()).then(|| urls.url(&home_page_path(number + 1))),
                pages: (1..=pages.len())
                    .map(|k| PageLink {
                        number: k,
                        url: urls.url(&home_page_path(k)),
                        current: k == number,
                    })
                    .collect(),
            },
        );
        add("index.html", path, c, None);
    }

    // One page per sign.
    for (i, v) in views.iter().enumerate() {
        let path = sign_path(&v.slug);
        let mut c = ctx("sign", &path);
        c.insert("sign", &values[i]);
        if i > 0 {
            c.insert("prev", &values[i - 1]);
        }
        if let Some(next) = values.get(i + 1) {
            c.insert("next", next);
        }
        let nearby: Vec<Value> = cat.nearby[i]
            .iter()
            .map(|&(j, km)| serde_json::json!({ "sign": values[j], "distance_km": (km * 10.0).round() / 10.0 }))
            .collect();
        c.insert("nearby", &nearby);
        c.insert(
            "minimap",
            &map_point(v).and_then(|p| mini_map(vec![p], 24.0)),
        );
        add("sign.html", path, c, v.date.clone());
    }

    // Styles.
    let tag_views: Vec<TagRef> = cat.tags.iter().map(|t| tag_view(&urls, t)).collect();
    let mut c = ctx("tags", "tags/");
    c.insert("tags", &tag_views);
    add("tags.html", "tags/".into(), c, None);
    for (t, view) in cat.tags.iter().zip(&tag_views) {
        let path = tag_path(&t.slug);
        let mut c = ctx("tag", &path);
        c.insert("tag", view);
        c.insert("signs", &pick(&t.signs));
        add("tag.html", path, c, None);
    }

    // Countries and their cities.
    let country_views: Vec<CountryView> = cat
        .countries
        .iter()
        .map(|c| country_view(&urls, c))
        .collect();
    let mut c = ctx("countries", "countries/");
    c.insert("countries", &country_views);
    add("countries.html", "countries/".into(), c, None);
    for (entry, view) in cat.countries.iter().zip(&country_views) {
        let path = country_path(&entry.slug);
        let mut c = ctx("country", &path);
        c.insert("country", view);
        c.insert("signs", &pick(&entry.signs));
        let points = entry
            .signs
            .iter()
            .filter_map(|&i| map_point(&views[i]))
            .collect();
        c.insert("minimap", &mini_map(points, 20.0));
        add("country.html", path, c, None);
        for (city, city_view) in entry.cities.iter().zip(&view.cities) {
            let path = city_path(&entry.slug, &city.slug);
            let mut c = ctx("city", &path);
            c.insert("country", view);
            c.insert("city", city_view);
            c.insert("signs", &pick(&city.signs));
            add("city.html", path, c, None);
        }
    }

    // Content pages.
    for p in input.pages {
        let mut c = ctx("page", &p.path);
        let slug = p
            .path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        let title = p.meta.title.as_deref().unwrap_or(slug);
        c.insert(
            "page",
            &PageView {
                title,
                description: p.meta.description.as_deref(),
                date: p.meta.date.map(|d| d.date.to_string()),
                content_html: markdown::to_html(&p.body, &site.base_path),
                url: urls.url(&p.path),
                permalink: urls.permalink(&p.path),
                slug,
            },
        );
        add(
            "page.html",
            p.path.clone(),
            c,
            p.meta.date.map(|d| d.date.to_string()),
        );
    }

    let mut c = ctx("map", "map/");
    let points: Vec<MapPoint> = views.iter().filter_map(map_point).collect();
    c.insert("points", &points);
    c.insert("map", &site.config.map);
    add("map.html", "map/".into(), c, None);

    add("404.html", "404.html".into(), ctx("404", "404.html"), None);

    let mut c = ctx("feed", "atom.xml");
    let n = site.config.feed_limit.min(values.len());
    c.insert("signs", &values[..n]);
    c.insert(
        "updated",
        &views
            .first()
            .map_or("1970-01-01T00:00:00Z".to_string(), |v| v.datetime.clone()),
    );
    c.insert("feed_url", &urls.permalink("atom.xml"));
    add("atom.xml", "atom.xml".into(), c, None);
    add(
        "robots.txt",
        "robots.txt".into(),
        ctx("robots", "robots.txt"),
        None,
    );
    let mut c = ctx("sitemap", "sitemap.xml");
    c.insert("entries", &sitemap);
    jobs.push(Job {
        template: "sitemap.xml",
        out: "sitemap.xml".into(),
        ctx: c,
    });
    jobs
}

#[derive(Serialize)]
struct OpenSign<'a> {
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a Location>,
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    alt: &'a str,
    images: &'a [ImageRef],
}

/// `signs.json`: every published sign, in the catalog's order, as DESIGN.md describes.
fn signs_json(views: &[SignView]) -> Vec<u8> {
    let signs: Vec<OpenSign> = views
        .iter()
        .map(|v| OpenSign {
            slug: &v.slug,
            url: &v.url,
            title: &v.title,
            date: v.date.as_deref(),
            place: v.place.as_deref(),
            city: v.city.as_deref(),
            country: v.country.as_ref().map(|c| c.code.as_str()),
            country_name: v.country.as_ref().map(|c| c.name.as_str()),
            location: v.location.as_ref(),
            tags: v.tags.iter().map(|t| t.slug.as_str()).collect(),
            alt: &v.alt,
            images: &v.image.renditions,
        })
        .collect();
    #[derive(Serialize)]
    struct Doc<'a> {
        signs: Vec<OpenSign<'a>>,
    }
    // Compact: the map and search read it on phones, and it grows with the archive.
    let mut out = serde_json::to_vec(&Doc { signs }).expect("serialisable");
    out.push(b'\n');
    out
}
