//! The build, stage by stage: config → scan → metadata → geo → catalog → imaging/render
//! → output. This is the only module that reads the curator's files; it never writes
//! next to them. Every stage reports into one list, so a failed build shows every
//! problem at once, and nothing is published unless there were no errors.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::cache::{Cache, ManifestEntry, Stamp};
use crate::catalog::{Catalog, Sign};
use crate::config::{Overrides, Site};
use crate::diag::{rel, Diagnostic, Diagnostics};
use crate::imaging::{self, Encoding, Rendition};
use crate::metadata::{self, frontmatter, SignMeta};
use crate::output::{self, SiteFiles};
use crate::render::{self, theme::Theme, ContentPage, RenderInput, RESERVED};
use crate::scan::{self, PhotoEntry};

/// Larger files are refused before they are read: no phone or camera makes them.
const MAX_PHOTO_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub overrides: Overrides,
    /// Write the site (false for `glyph check`).
    pub write: bool,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Inject the live-reload script (only `glyph serve`).
    pub live_reload: bool,
    /// Show a progress bar when stderr is a terminal.
    pub progress: bool,
}

#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub signs: usize,
    pub pages: usize,
    pub images_made: usize,
    pub images_cached: usize,
    pub output: Option<PathBuf>,
    pub elapsed: Duration,
}

#[derive(Debug)]
pub struct BuildOutcome {
    /// Present when the build succeeded.
    pub report: Option<BuildReport>,
    /// Errors first, then warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildOutcome {
    pub fn ok(&self) -> bool {
        self.report.is_some()
    }
}

pub fn build(opts: &BuildOptions) -> BuildOutcome {
    let started = Instant::now();
    let diags = Diagnostics::new();
    let report = run(opts, &diags).map(|mut r| {
        r.elapsed = started.elapsed();
        r
    });
    let diagnostics = diags.into_sorted();
    let failed = diagnostics.iter().any(|d| d.is_error() || opts.strict);
    BuildOutcome {
        report: if failed { None } else { report },
        diagnostics,
    }
}

fn run(opts: &BuildOptions, diags: &Diagnostics) -> Option<BuildReport> {
    let site = match Site::load(&opts.root, &opts.overrides) {
        Ok(s) => s,
        Err(ds) => {
            diags.extend(ds);
            return None;
        }
    };
    if let Err(d) = output::check_target(&site) {
        diags.push(d);
        return None;
    }
    if opts.write && !site.has_absolute_base() {
        diags.push(
            Diagnostic::warning("`base_url` is not an absolute URL, so the Atom feed, sitemap and share links use relative addresses, which feed readers and search engines reject")
                .file(crate::config::CONFIG_FILE)
                .hint("set `base_url:` to the address the site is published at, such as https://example.org/"),
        );
    }
    let found = scan::scan(&site.root, &site.photos, &site.content);
    diags.extend(found.diagnostics);
    let mut cache = Cache::open(&site.cache);

    // Metadata: the photo facts come from the cache when the file is unchanged.
    let read: Vec<(Option<SignMeta>, Option<ManifestEntry>)> = found
        .photos
        .par_iter()
        .map(|p| read_photo(&site, &cache, p, diags))
        .collect();
    let mut metas = Vec::new();
    let mut records = Vec::new();
    for (meta, record) in read {
        metas.extend(meta);
        records.extend(record);
    }

    // Geo, then the catalog.
    let signs: Vec<Sign> = metas
        .into_par_iter()
        .map(|mut meta| {
            let (place, sources, problems) = crate::geo::place_of(&meta);
            let file = meta.sidecar.clone().unwrap_or_else(|| meta.source.clone());
            diags.extend(problems.into_iter().map(|d| d.file(&file)));
            meta.sources.extend(sources);
            Sign { meta, place }
        })
        .collect();
    let (catalog, problems) = Catalog::new(signs, site.drafts);
    diags.extend(problems);
    for s in catalog
        .signs
        .iter()
        .filter(|s| s.meta.alt.is_none() && s.meta.sidecar.is_some())
    {
        diags.push(
            Diagnostic::warning(
                "no `alt` text: visitors using screen readers will not know what the sign shows",
            )
            .file(s.meta.sidecar.clone().unwrap_or_default())
            .hint("add `alt:` describing the pictograms and words on the sign"),
        );
    }

    let pages = read_pages(&site, &found.pages, diags);
    let home_intro = found
        .home_intro
        .as_ref()
        .and_then(|p| read_page_body(&site, p, diags));

    // Imaging.
    let settings = &site.config.images;
    let enc = Encoding {
        format: settings.format,
        quality: settings.quality,
    };
    let plans: Vec<Vec<Rendition>> = catalog
        .signs
        .iter()
        .map(|s| imaging::plan(&s.meta.slug, &s.meta.photo, settings))
        .collect();
    let media_dir = cache.media_dir();
    if let Err(e) = std::fs::create_dir_all(&media_dir) {
        diags.push(
            Diagnostic::error(format!("cannot create the image cache: {e}"))
                .file(rel(&site.root, &media_dir)),
        );
        return None;
    }
    let todo: Vec<usize> = (0..catalog.signs.len())
        .filter(|&i| {
            cache.color(&catalog.signs[i].meta.photo.hash).is_none()
                || plans[i]
                    .iter()
                    .any(|r| !media_dir.join(&r.file_name).exists())
        })
        .collect();
    let bar = progress_bar(opts.progress, todo.len());
    let made: Vec<(usize, Option<[u8; 3]>)> = todo
        .par_iter()
        .map(|&i| {
            let s = &catalog.signs[i];
            let result = std::fs::read(site.root.join(&s.meta.source))
                .map_err(|e| format!("cannot read the photo: {e}"))
                .and_then(|bytes| {
                    imaging::make_renditions(
                        &bytes,
                        s.meta.photo.exif.orientation,
                        &plans[i],
                        enc,
                        &media_dir,
                    )
                });
            bar.inc(1);
            match result {
                Ok(m) => (i, Some(m.color)),
                Err(e) => {
                    diags.push(Diagnostic::error(e).file(&s.meta.source));
                    (i, None)
                }
            }
        })
        .collect();
    bar.finish_and_clear();
    let mut colors: Vec<Option<[u8; 3]>> = catalog
        .signs
        .iter()
        .map(|s| cache.color(&s.meta.photo.hash))
        .collect();
    for (i, c) in &made {
        if c.is_some() {
            colors[*i] = *c;
        }
    }
    let images: Vec<(Vec<Rendition>, [u8; 3])> = plans
        .iter()
        .cloned()
        .zip(colors.iter().map(|c| c.unwrap_or([128, 128, 128])))
        .collect();

    // Remember what we learnt, even if the build fails later: the work is still valid.
    let color_records = catalog
        .signs
        .iter()
        .zip(&colors)
        .filter_map(|(s, c)| Some((s.meta.photo.hash.clone(), (*c)?)))
        .collect();
    cache.record(records, color_records);
    if let Err(e) = cache.save() {
        diags.push(
            Diagnostic::warning(format!("cannot save the build cache: {e}"))
                .file(rel(&site.root, &site.cache)),
        );
    }

    // Render.
    let theme = match Theme::load(&site) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let input = RenderInput {
        site: &site,
        theme: &theme,
        catalog: &catalog,
        images: &images,
        pages: &pages,
        home_intro: home_intro.as_deref(),
        live_reload: opts.live_reload,
    };
    let generated = match render::render(&input) {
        Ok(f) => f,
        Err(ds) => {
            diags.extend(ds);
            return None;
        }
    };
    if diags.has_errors() {
        return None;
    }

    let media: Vec<(String, PathBuf)> = plans
        .iter()
        .flatten()
        .map(|r| (r.file_name.clone(), media_dir.join(&r.file_name)))
        .collect();
    let report = BuildReport {
        signs: catalog.signs.len(),
        pages: generated
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .count(),
        images_made: made
            .iter()
            .filter(|(_, c)| c.is_some())
            .map(|(i, _)| plans[*i].len())
            .sum(),
        images_cached: media.len(),
        output: opts.write.then(|| site.output.clone()),
        elapsed: Duration::ZERO,
    };
    let statics: Vec<_> = theme.statics.clone().into_iter().collect();
    let clashes = output::clashes(&site.root, &generated, &statics);
    diags.extend(clashes);
    // Under --strict a warning fails the build, so nothing may be published.
    if opts.write && (!opts.strict || diags.is_empty()) {
        let files = SiteFiles {
            generated,
            statics,
            media,
        };
        if let Err(d) = output::write_site(&site.root, &site.output, &files) {
            diags.push(d);
            return None;
        }
        let keep: HashSet<String> = plans
            .iter()
            .flatten()
            .map(|r| r.file_name.clone())
            .collect();
        cache.prune_media(&keep);
    }
    Some(report)
}

fn progress_bar(wanted: bool, n: usize) -> ProgressBar {
    if !wanted || n == 0 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(n as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} making images {bar:30} {pos}/{len} photos, {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Read one photo and its sidecar into a `SignMeta`; problems go to `diags`. Also
/// returns the manifest record for the cache.
fn read_photo(
    site: &Site,
    cache: &Cache,
    p: &PhotoEntry,
    diags: &Diagnostics,
) -> (Option<SignMeta>, Option<ManifestEntry>) {
    let source = rel(&site.root, &p.image);
    // The sidecar first, so its problems are reported even when the photo is unusable.
    let sidecar_rel = p.sidecar.as_ref().map(|s| rel(&site.root, s));
    let sidecar = match &p.sidecar {
        None => Ok(None),
        Some(path) => read_text(path)
            .and_then(|text| metadata::parse_sidecar(&text))
            .map(Some)
            .map_err(|d| diags.push(d.file(sidecar_rel.clone().unwrap_or_default()))),
    };
    let stamp = match std::fs::metadata(&p.image) {
        Ok(m) => Stamp::of(&m),
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot read the photo: {e}")).file(source));
            return (None, None);
        }
    };
    if stamp.size > MAX_PHOTO_BYTES {
        diags.push(
            Diagnostic::error(format!(
                "the file is {} MB; photos over {} MB are refused",
                stamp.size / (1024 * 1024),
                MAX_PHOTO_BYTES / (1024 * 1024)
            ))
            .file(source)
            .hint("export a smaller JPEG of it"),
        );
        return (None, None);
    }
    let key = source.to_string_lossy().into_owned();
    let facts = match cache.facts(&key, stamp) {
        Some(f) => f.clone(),
        None => match std::fs::read(&p.image)
            .map_err(|e| e.to_string())
            .and_then(|b| metadata::photo_facts(&b))
        {
            Ok(f) => f,
            Err(e) => {
                diags.push(
                    Diagnostic::error(format!("cannot use this photo: {e}"))
                        .file(source)
                        .hint("replace it with a JPEG, PNG or WebP photo, or move it out of the photos folder"),
                );
                return (None, None);
            }
        },
    };
    for w in &facts.exif.warnings {
        diags.push(Diagnostic::warning(w.clone()).file(&source));
    }
    let record = Some((key, stamp, facts.clone()));
    let Ok(sidecar) = sidecar else {
        return (None, record);
    };
    let stem = p
        .image
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let (meta, problems) =
        metadata::merge(source.clone(), sidecar_rel.clone(), &stem, sidecar, facts);
    for d in problems {
        diags.push(d.file(sidecar_rel.clone().unwrap_or_else(|| source.clone())));
    }
    (Some(meta), record)
}

fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::error(format!("cannot read it: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|b| **b == b'\n').count() + 1;
        let col = upto.len() - upto.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
        Diagnostic::error("the file is not UTF-8 text")
            .at(line, col)
            .hint("save it as UTF-8 in your editor")
    })
}

fn read_pages(site: &Site, entries: &[scan::PageEntry], diags: &Diagnostics) -> Vec<ContentPage> {
    let mut pages: Vec<ContentPage> = Vec::new();
    for e in entries {
        let file = rel(&site.root, &e.path);
        let page = match read_text(&e.path).and_then(|t| frontmatter::parse_page(&t)) {
            Ok(p) => p,
            Err(d) => {
                diags.push(d.file(file));
                continue;
            }
        };
        if page.meta.draft && !site.drafts {
            continue;
        }
        let mut segments: Vec<String> = e.rel.split('/').map(slug::slugify).collect();
        if let (Some(slug), Some(last)) = (&page.meta.slug, segments.last_mut()) {
            *last = slug::slugify(slug);
        }
        if segments.iter().any(String::is_empty) {
            diags.push(
                Diagnostic::error("this page's name gives an empty URL")
                    .file(file)
                    .hint("rename the file or set `slug:`"),
            );
            continue;
        }
        if RESERVED.contains(&segments[0].as_str()) {
            diags.push(
                Diagnostic::error(format!(
                    "the page would take the URL /{}/, which the site's own pages use",
                    segments[0]
                ))
                .file(file)
                .hint("rename the file or set another `slug:`"),
            );
            continue;
        }
        let path = format!("{}/", segments.join("/"));
        if let Some(other) = pages.iter().find(|p| p.path == path) {
            diags.push(
                Diagnostic::error(format!(
                    "two pages have the URL /{path}: this one and {}",
                    other.source.display()
                ))
                .file(file)
                .hint("rename one of them or set `slug:`"),
            );
            continue;
        }
        pages.push(ContentPage {
            path,
            source: file,
            meta: page.meta,
            body: page.body,
        });
    }
    pages
}

fn read_page_body(site: &Site, path: &Path, diags: &Diagnostics) -> Option<String> {
    match read_text(path).and_then(|t| frontmatter::parse_page(&t)) {
        Ok(p) => Some(p.body),
        Err(d) => {
            diags.push(d.file(rel(&site.root, path)));
            None
        }
    }
}
