//! Render: every page of the site, in memory, through Tera (autoescaping everything a
//! curator wrote); plus `signs.json`, the catalog as open data.
//!
//! Contexts are built once per sign and language and shared by every page that lists
//! it; the pages themselves render in parallel. A multilingual site renders every page
//! once per language (the default at the root, the others under `/<code>/`), with one
//! `signs.json` and one sitemap for them all.

pub mod context;
mod jobs;
pub mod markdown;
mod open_data;
mod overview;
mod plan;
mod random;
mod search;
mod shapes;
mod share;
mod structured;
pub mod theme;
mod touched;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use rayon::prelude::*;
use tera::{Tera, Value};

use crate::catalog::Catalog;
use crate::config::Site;
use crate::diag::{line_col, rel, Diagnostic};
use crate::i18n::Words;
use crate::imaging::PhotoImages;
use crate::metadata::frontmatter::PageMeta;
use context::*;
use theme::Theme;

/// First path segments that belong to generated pages (`jobs::Kind::segment`) and to
/// the derived images (`media/`); a content page may not take them.
pub static RESERVED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut reserved: Vec<&str> = jobs::Kind::ALL
        .iter()
        .filter_map(|k| k.segment())
        .chain([MEDIA, random::SEGMENT])
        .collect();
    reserved.sort_unstable();
    reserved.dedup();
    reserved
});

/// The folder of the derived images below the site's root.
const MEDIA: &str = "media";

/// A content page, parsed.
#[derive(Debug, Clone)]
pub struct ContentPage {
    /// Output path below the site root, with trailing slash (`about/`).
    pub path: String,
    pub source: PathBuf,
    pub meta: PageMeta,
    pub body: String,
    /// The page in the site's other languages (`about.es.md`), by language code;
    /// published at the same path below each language's root.
    pub translations: Vec<PageTranslation>,
}

/// A content page in another language: its own front matter (title, description) and
/// body. The URL, menu weight and draft state are the page's own, in every language.
#[derive(Debug, Clone)]
pub struct PageTranslation {
    /// A language of the site (as `site.yaml` lists it).
    pub lang: String,
    pub meta: PageMeta,
    pub body: String,
}

impl ContentPage {
    /// The page's front matter and body in `lang`, and the language they are in when
    /// it has no translation to `lang` (the default language's page serves, to be
    /// marked with its own `lang`).
    pub fn in_lang<'a>(
        &'a self,
        lang: &str,
        default_lang: &'a str,
    ) -> (&'a PageMeta, &'a str, Option<&'a str>) {
        match self.translations.iter().find(|t| t.lang == lang) {
            Some(t) => (&t.meta, &t.body, None),
            None if lang == default_lang => (&self.meta, &self.body, None),
            None => (&self.meta, &self.body, Some(default_lang)),
        }
    }
}

pub struct RenderInput<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub catalog: &'a Catalog,
    /// Per sign (same index as `catalog.signs`), per photo (the cover first): its
    /// renditions and placeholder colour.
    pub images: &'a [Vec<PhotoImages>],
    pub pages: &'a [ContentPage],
    pub home_intro: Option<&'a str>,
    /// The home introduction in the site's other languages (`_index.es.md`).
    pub home_intro_translations: &'a std::collections::BTreeMap<String, String>,
    pub live_reload: bool,
}

/// One output file: path below the output root, and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// Pages made by earlier builds, by output path, with the fingerprint of what each was
/// made from, and a hash of the templates that made them. A page whose fingerprint is
/// unchanged is not rendered again: it stays as it is in the output folder.
/// With the site's shape and the hash of every sign view, it also tells which pages
/// an edit touches (`touched`), so that the others are not planned at all.
#[derive(Default)]
pub struct RenderMemo {
    templates: u64,
    pages: HashMap<String, u64>,
    look: Look,
}

/// What the pages of a render were planned from: the site's shape
/// (`touched::shape`) and the hash of each sign view, per language.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Look {
    pub shape: u64,
    pub views: Vec<Vec<u64>>,
}

impl RenderMemo {
    /// A memo of pages already in the output folder, unchanged since they were written.
    pub fn published(
        templates: u64,
        look: Look,
        pages: impl IntoIterator<Item = (String, u64)>,
    ) -> RenderMemo {
        RenderMemo {
            templates,
            pages: pages.into_iter().collect(),
            look,
        }
    }

    /// The hash of the templates the memo's pages were made with.
    pub fn templates(&self) -> u64 {
        self.templates
    }

    /// What its pages were planned from.
    pub fn look(&self) -> &Look {
        &self.look
    }

    /// Output path → fingerprint of every page of the last render.
    pub fn fingerprints(&self) -> impl Iterator<Item = (&str, u64)> {
        self.pages.iter().map(|(p, fp)| (p.as_str(), *fp))
    }
}

/// Where a build to disk puts each page as soon as it is rendered, so that the site is
/// never held in memory whole.
pub type PageSink<'a> = &'a (dyn Fn(&str, Vec<u8>) -> Result<(), Diagnostic> + Sync);

/// One rendered page, as the render hands it on.
enum Page {
    Bytes(Vec<u8>),
    /// Not rendered again: the output folder has it unchanged.
    Kept,
    /// Rendered and given to the sink.
    Streamed,
}

/// What a render made.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// Pages handed to the sink.
    pub streamed: Vec<String>,
    /// Pages not rendered because the output folder has them, unchanged (only with a
    /// `RenderMemo::published` memo).
    pub kept: Vec<String>,
    /// What the render found wrong but could do without (a word a language lacks).
    pub warnings: Vec<Diagnostic>,
}

pub fn render(
    input: &RenderInput,
    memo: Option<&mut RenderMemo>,
    sink: Option<PageSink>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let site = input.site;
    let (words, warnings) = Words::load(site, input.theme)?;
    let words = Arc::new(words);
    let sources = template_sources(site, input.theme).map_err(|d| vec![d])?;
    let templates = jobs::hash_value(&(&sources, words.all()));
    let empty = HashMap::new();
    let (old, last) = match &memo {
        Some(m) if m.templates == templates => (&m.pages, Some(&m.look)),
        _ => (&empty, None),
    };
    // Every language's views first: the sitemap, planned with the default language,
    // lists the pages of them all.
    let langs: Vec<Lang> = site
        .languages
        .iter()
        .map(|code| Lang {
            code,
            default: site.default_lang(),
            words: &words,
        })
        .collect();
    let views: Vec<Vec<SignView>> = langs
        .iter()
        .map(|lang| {
            let urls = Urls::for_lang(site, lang.code);
            input
                .catalog
                .signs
                .par_iter()
                .zip(input.images.par_iter())
                .map(|(s, photos)| sign_view(site, &urls, lang, input.catalog, s, photos))
                .collect()
        })
        .collect();
    let hashes: Vec<Vec<u64>> = views
        .iter()
        .map(|v| v.par_iter().map(jobs::hash_value).collect())
        .collect();
    let bases: Vec<(tera::Context, u64)> = langs
        .iter()
        .map(|lang| {
            let base = jobs::base_context(input, lang);
            let hash = jobs::hash_value(&base.clone().into_json());
            (base, hash)
        })
        .collect();
    let base_hashes: Vec<u64> = bases.iter().map(|b| b.1).collect();
    let look = Look {
        shape: touched::shape(input, templates, &base_hashes),
        views: hashes,
    };
    let touched = touched::Touched::new(
        old,
        (look.shape, &look.views),
        last.map(|l| (l.shape, l.views.as_slice())),
    );
    let mut planned: Vec<plan::Planned> = Vec::with_capacity(langs.len());
    let mut entries = Vec::new();
    for (lang, views) in langs.iter().zip(&views) {
        let mut p = plan::plan_jobs(input, views, lang, &touched);
        entries.append(&mut p.sitemap);
        planned.push(p);
    }
    planned[0]
        .jobs
        .push(plan::sitemap_job(&Urls::new(site), entries));
    let mut out = Rendered {
        warnings,
        ..Rendered::default()
    };
    let mut fingerprints = HashMap::new();
    let mut problems = Vec::new();
    let each = langs.iter().zip(&views).zip(planned).zip(bases);
    for (k, (((lang, views), planned), (base, base_hash))) in each.enumerate() {
        let hashes = &look.views[k];
        for path in planned.kept {
            if let Some(fp) = touched.kept(&path) {
                fingerprints.insert(path.clone(), fp);
            }
            out.kept.push(path);
        }
        let jobs = &planned.jobs;
        let tera =
            build_tera(site, input.theme, &sources, &words, lang.code).map_err(|d| vec![d])?;
        let values: Vec<std::sync::OnceLock<Value>> =
            std::iter::repeat_with(std::sync::OnceLock::new)
                .take(views.len())
                .collect();
        let shared = jobs::Shared {
            base_hash,
            base,
            views,
            values: &values,
            hashes,
        };
        let job = |job: &jobs::Job| -> Result<(String, Page, u64), Diagnostic> {
            let fp = job.fingerprint(&shared);
            if old.get(&job.out) == Some(&fp) {
                return Ok((job.out.clone(), Page::Kept, fp));
            }
            let html = tera
                .render(job.template, &job.context(&shared))
                .map_err(|e| template_error(site, input.theme, job.template, &e, Some(&job.out)))?
                .into_bytes();
            let page = match sink {
                Some(sink) => sink(&job.out, html).map(|()| Page::Streamed)?,
                None => Page::Bytes(html),
            };
            Ok((job.out.clone(), page, fp))
        };
        let rendered: Vec<Result<(String, Page, u64), Diagnostic>> =
            jobs.par_iter().map(job).collect();
        for r in rendered {
            match r {
                Ok((path, page, fp)) => {
                    fingerprints.insert(path.clone(), fp);
                    match page {
                        Page::Bytes(bytes) => out.files.push((path, bytes)),
                        Page::Kept => out.kept.push(path),
                        Page::Streamed => out.streamed.push(path),
                    }
                }
                Err(d) => problems.push(d),
            }
        }
        // Each of these is made of every sign, one thread each: side by side.
        let urls = Urls::for_lang(site, lang.code);
        let (open, (random, search)) = rayon::join(
            || {
                (lang.code == site.default_lang()).then(|| {
                    let json = open_data::signs_json(views, input.catalog, &site.languages);
                    ("signs.json".to_string(), json)
                })
            },
            || {
                rayon::join(
                    || random::page(&urls, lang, site.title(lang.code), views),
                    || search::index(views, input.catalog),
                )
            },
        );
        out.files.extend(open);
        out.files.push(random);
        out.files
            .push((format!("{}search.json", urls.prefix), search));
    }
    if !problems.is_empty() {
        return Err(merge_repeats(problems));
    }
    if let Some(memo) = memo {
        memo.templates = templates;
        memo.pages = fingerprints;
        memo.look = look;
    }
    Ok(out)
}

/// Every template of the theme, read.
fn template_sources(site: &Site, theme: &Theme) -> Result<Vec<(String, String)>, Diagnostic> {
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
    Ok(sources)
}

/// Tera with every template of the theme, for the pages of `lang`: its `t()` gives
/// that language's words and its `link()` that language's pages.
fn build_tera(
    site: &Site,
    theme: &Theme,
    sources: &[(String, String)],
    words: &Arc<Words>,
    lang: &str,
) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    // Escape in every template, XML and text included: curator text reaches them all.
    tera.autoescape_on(vec![""]);
    tera.set_escape_fn(escape);
    tera.add_raw_templates(sources.to_vec()).map_err(|e| {
        let name = failing_template(&e).unwrap_or_default();
        template_error(site, theme, &name, &e, None)
    })?;
    for required in jobs::Kind::ALL.map(jobs::Kind::template) {
        if !tera.get_template_names().any(|n| n == required) {
            return Err(
                Diagnostic::error(format!("the theme has no `{required}` template")).hint(
                    "add it to the theme's templates/ folder or the site's templates/ folder",
                ),
            );
        }
    }
    tera.register_filter("json_ld", structured::json_ld);
    tera.register_function("t", crate::i18n::function(words.clone(), lang.to_string()));
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
    let pages = format!("{}{}", site.base_path, site.lang_prefix(lang));
    tera.register_function("link", move |args: &HashMap<String, Value>| {
        let path = args.get("path").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg("link() needs a `path` argument, such as link(path=\"tags/\")")
        })?;
        Ok(Value::String(format!(
            "{}{}",
            pages,
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

/// Tera's parse errors name the template as `Failed to parse "x.html"` (or with single
/// quotes); the error has no field for it, so the message is read.
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
    // Tera has no structured position (its errors are `ErrorKind::Msg` strings), but
    // its parse errors carry pest's " --> line:col" in the text, so that is read.
    let pos = full.split("--> ").nth(1).and_then(|rest| {
        let (l, c) = rest.split_once(':')?;
        let c: String = c.chars().take_while(char::is_ascii_digit).collect();
        Some((l.trim().parse().ok()?, c.parse().ok()?))
    });
    let source = theme.templates.get(name);
    let file = source
        .map(|s| rel(&site.root, &s.describe(name, "templates")))
        .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")));
    let detail = chain.last().cloned().unwrap_or_default();
    let detail = detail
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    // Errors found while rendering carry no position, but they quote what failed
    // (`sign.nosuchfield`, 'nosuchfilter'): its first use in the template is the place.
    let pos = pos.or_else(|| {
        let text = String::from_utf8(source?.read().ok()?).ok()?;
        locate_quoted(&text, &detail)
    });
    let msg = match page {
        Some(p) => format!("template error while rendering /{p}: {detail}"),
        None => format!("template error: {detail}"),
    };
    Diagnostic::error(msg)
        .file(file)
        .at_opt(pos)
        .hint("fix the template; Tera's syntax is described at https://keats.github.io/tera/docs/")
}

/// The line and column of the first thing quoted in `detail` (in backticks or single
/// quotes) where it appears in `text`.
fn locate_quoted(text: &str, detail: &str) -> Option<(usize, usize)> {
    let quoted = detail
        .split(['`', '\''])
        .nth(1)
        .filter(|q| !q.trim().is_empty())?;
    Some(line_col(text, text.find(quoted)?))
}

/// One message for an error that every page of a template hits, not one per page.
fn merge_repeats(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| {
        let detail = d
            .message
            .split_once(": ")
            .map_or(d.message.as_str(), |(_, rest)| rest);
        (d.file.clone(), d.line, detail.to_string())
    };
    let mut groups: Vec<(Diagnostic, usize)> = Vec::new();
    for d in problems {
        match groups.iter_mut().find(|(g, _)| key(g) == key(&d)) {
            Some((_, n)) => *n += 1,
            None => groups.push((d, 0)),
        }
    }
    groups
        .into_iter()
        .map(|(mut d, more)| {
            if more > 0 {
                d.message.push_str(&format!(
                    " (and {})",
                    crate::util::plural(more, "more page")
                ));
            }
            d
        })
        .collect()
}
