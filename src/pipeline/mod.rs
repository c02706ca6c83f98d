//! The build, stage by stage: config → scan → metadata → geo → catalog → imaging/render
//! → output. This is the only module that reads the curator's files; it never writes
//! next to them. Every stage reports into one list, so a failed build shows every
//! problem at once, and nothing is published unless there were no errors.

mod read;

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::cache::Cache;
use crate::catalog::{Catalog, Sign};
use crate::config::{Overrides, Site};
use crate::diag::{rel, Diagnostic, Diagnostics};
use crate::imaging::{self, Encoding, Rendition};
use crate::output::published::{Intact, Published};
use crate::output::{self, SiteFiles};
use crate::render::{self, theme::Theme, RenderInput, RenderMemo};
use crate::scan;

pub use read::{read_text, SidecarMemo};

/// Where a build's site goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Target {
    /// Into the output folder (`glyph build`).
    #[default]
    Disk,
    /// Kept in memory and returned (`glyph serve`).
    Memory,
    /// Nowhere: validate and lint only (`glyph check`). Nothing is written, not even
    /// the cache.
    Nothing,
}

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub overrides: Overrides,
    pub target: Target,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Add the curator's lint (`glyph check`): missing tags and locations, likely tag
    /// typos, identical photos, broken links.
    pub lint: bool,
    /// Tell templates they are previewed by `glyph serve`.
    pub live_reload: bool,
    /// Show a progress bar when stderr is a terminal.
    pub progress: bool,
}

#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub signs: usize,
    /// Drafts not built (without --drafts).
    pub drafts_left_out: usize,
    pub pages: usize,
    pub images_made: usize,
    pub images_cached: usize,
    pub output: Option<PathBuf>,
    /// False when the output folder already held exactly this site and was left alone.
    pub output_changed: bool,
    /// The whole site, for `Target::Memory`.
    pub files: Option<SiteFiles>,
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

/// What one build can hand to the next in a long-running process (`glyph serve`): the
/// cache manifest, every sidecar as parsed, so only changed files are read again, and
/// (when asked) every page, so only pages whose content changed are rendered again.
#[derive(Default)]
pub struct Session {
    cache: Option<Cache>,
    sidecars: SidecarMemo,
    pages: Option<RenderMemo>,
}

impl Session {
    /// A session that also keeps every rendered page in memory between builds.
    pub fn keeping_pages() -> Session {
        Session {
            pages: Some(RenderMemo::in_memory()),
            ..Session::default()
        }
    }
}

pub fn build(opts: &BuildOptions) -> BuildOutcome {
    build_in(opts, &mut Session::default())
}

/// Build, reusing (and updating) what `session` learnt from earlier builds.
pub fn build_in(opts: &BuildOptions, session: &mut Session) -> BuildOutcome {
    let started = Instant::now();
    let diags = Diagnostics::new();
    let report = run(opts, session, &diags).map(|mut r| {
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

fn run(opts: &BuildOptions, session: &mut Session, diags: &Diagnostics) -> Option<BuildReport> {
    let site = match Site::load(&opts.root, &opts.overrides) {
        Ok(s) => s,
        Err(ds) => {
            diags.extend(ds);
            return None;
        }
    };
    if opts.target == Target::Disk {
        if let Err(d) = output::check_target(&site) {
            diags.push(d);
            return None;
        }
        if !site.has_absolute_base() {
            diags.push(
                Diagnostic::warning("`base_url` is not an absolute URL, so the Atom feed, sitemap and share links use relative addresses, which feed readers and search engines reject")
                    .file(crate::config::CONFIG_FILE)
                    .hint("set `base_url:` to the address the site is published at, such as https://example.org/"),
            );
        }
    }
    let mut laps = Laps::new();
    let found = scan::scan(&site.root, &site.photos, &site.content);
    laps.lap("scan");
    diags.extend(found.diagnostics);
    let mut cache = match session.cache.take() {
        Some(c) if c.dir() == site.cache => c,
        _ => Cache::open(&site.cache),
    };

    // Metadata: photo facts come from the cache and sidecars from the session when the
    // files are unchanged.
    let read: Vec<read::PhotoRead> = found
        .photos
        .par_iter()
        .map(|p| read::read_photo(&site, &cache, &session.sidecars, p, diags))
        .collect();
    let mut metas = Vec::new();
    let mut records = Vec::new();
    let mut memo = SidecarMemo::with_capacity(read.len());
    for r in read {
        metas.extend(r.meta);
        records.extend(r.record);
        if let Some((path, stamp, parsed)) = r.sidecar {
            memo.insert(path, (stamp, parsed));
        }
    }
    session.sidecars = memo;
    let today = chrono::Local::now().date_naive();
    for meta in &metas {
        if let Some(d) = crate::metadata::future_exif_date(meta, today) {
            diags.push(d.file(meta.sidecar.clone().unwrap_or_else(|| meta.source.clone())));
        }
    }
    laps.lap("metadata");

    // Geo, then the catalog.
    let geocoder = cache.geocoder();
    let signs: Vec<Sign> = metas
        .into_par_iter()
        .map(|mut meta| {
            let (place, sources, problems) = crate::geo::place_of(&meta, &geocoder);
            let file = meta.sidecar.clone().unwrap_or_else(|| meta.source.clone());
            diags.extend(problems.into_iter().map(|d| d.file(&file)));
            meta.sources.extend(sources);
            Sign { meta, place }
        })
        .collect();
    cache.record_geo(geocoder.into_memo());
    let drafts_left_out = if site.drafts {
        0
    } else {
        signs.iter().filter(|s| s.meta.draft).count()
    };
    let (catalog, problems) = Catalog::new(signs, site.drafts);
    diags.extend(problems);
    laps.lap("geo+catalog");
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

    let pages = read::read_pages(&site, &found.pages, diags);
    let home_intro = found
        .home_intro
        .as_ref()
        .and_then(|p| read::read_page_body(&site, p, diags));

    // Imaging.
    let plans: Vec<Vec<Rendition>> = catalog
        .signs
        .iter()
        .map(|s| imaging::plan(&s.meta.slug, &s.meta.photo, &site.config.images))
        .collect();
    let media_dir = cache.media_dir();
    let made = make_images(opts, &site, &catalog, &plans, &cache, diags)?;
    laps.lap("imaging");
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
    if opts.target != Target::Nothing {
        cache.record(records, color_records);
        if let Err(e) = cache.save() {
            diags.push(
                Diagnostic::warning(format!("cannot save the build cache: {e}"))
                    .file(rel(&site.root, &site.cache)),
            );
        }
    }
    session.cache = Some(cache);
    laps.lap("cache");

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
    // A build to disk renders only pages whose inputs changed since the output folder
    // was written, and writes only files that changed.
    let out_abs = output::normalise(&site.output);
    let before = match opts.target {
        Target::Disk if session.pages.is_none() => Published::load(&site.cache, &out_abs)
            .map(Published::intact)
            .unwrap_or_default(),
        _ => Intact::default(),
    };
    let mut disk_memo = RenderMemo::published(
        before.templates,
        before
            .files
            .iter()
            .filter_map(|(p, e)| Some((p.clone(), e.fp?))),
    );
    let memo = match (session.pages.as_mut(), opts.target) {
        (Some(m), _) => Some(m),
        (None, Target::Disk) => Some(&mut disk_memo),
        (None, _) => None,
    };
    let rendered = match render::render(&input, memo) {
        Ok(f) => f,
        Err(ds) => {
            diags.extend(ds);
            return None;
        }
    };
    laps.lap("render");
    let generated = rendered.files;
    let media: Vec<(String, PathBuf)> = plans
        .iter()
        .flatten()
        .map(|r| (r.file_name.clone(), media_dir.join(&r.file_name)))
        .collect();
    let statics: Vec<_> = theme.statics.clone().into_iter().collect();
    diags.extend(output::clashes(&site.root, &generated, &statics));
    let files = SiteFiles {
        generated,
        kept: rendered.kept,
        statics,
        media,
    };
    if opts.lint {
        diags.extend(crate::check::lint(&crate::check::LintInput {
            site: &site,
            catalog: &catalog,
            pages: &pages,
            files: &files,
        }));
    }
    if diags.has_errors() {
        return None;
    }

    let mut report = BuildReport {
        signs: catalog.signs.len(),
        drafts_left_out,
        pages: files
            .generated
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .count()
            + files.kept.iter().filter(|p| p.ends_with(".html")).count(),
        images_made: made
            .iter()
            .filter(|(_, c)| c.is_some())
            .map(|(i, _)| plans[*i].len())
            .sum(),
        images_cached: files.media.len(),
        ..BuildReport::default()
    };
    // Under --strict a warning fails the build, so nothing may be published.
    if opts.strict && !diags.is_empty() {
        return Some(report);
    }
    match opts.target {
        Target::Disk => {
            // Whichever memo the render used knows every page's fingerprint.
            let used = session.pages.as_ref().unwrap_or(&disk_memo);
            let fingerprints: HashMap<String, u64> = used
                .fingerprints()
                .map(|(p, f)| (p.to_string(), f))
                .collect();
            let written = match output::write_site(
                &site.root,
                &site.output,
                &files,
                &before,
                &fingerprints,
            ) {
                Ok(w) => w,
                Err(d) => {
                    diags.push(d);
                    return None;
                }
            };
            report.output_changed = written.changed;
            if let Err(e) =
                Published::new(&out_abs, used.templates(), written.files).save(&site.cache)
            {
                diags.push(
                    Diagnostic::warning(format!("cannot save the build cache: {e}"))
                        .file(rel(&site.root, &site.cache)),
                );
            }
            let keep: HashSet<String> = plans
                .iter()
                .flatten()
                .map(|r| r.file_name.clone())
                .collect();
            if let Some(cache) = &session.cache {
                cache.prune_media(&keep);
            }
            report.output = Some(site.output.clone());
        }
        Target::Memory => report.files = Some(files),
        Target::Nothing => {}
    }
    laps.lap("output");
    Some(report)
}

/// Stage timings on stderr when `GLYPH_TIMINGS` is set: for finding what a slow build
/// spends its time on without a profiler.
struct Laps(Option<Instant>);

impl Laps {
    fn new() -> Laps {
        Laps(std::env::var_os("GLYPH_TIMINGS").map(|_| Instant::now()))
    }

    fn lap(&mut self, stage: &str) {
        if let Some(t) = self.0 {
            eprintln!(
                "  {stage:<12} {:>7.1} ms",
                t.elapsed().as_secs_f64() * 1000.0
            );
            self.0 = Some(Instant::now());
        }
    }
}

/// Make the renditions that are not in the cache yet (for `Target::Nothing`, only
/// check that photos never decoded before can be). Returns, per sign index handled,
/// the photo's average colour, or `None` when it failed (the error is in `diags`).
fn make_images(
    opts: &BuildOptions,
    site: &Site,
    catalog: &Catalog,
    plans: &[Vec<Rendition>],
    cache: &Cache,
    diags: &Diagnostics,
) -> Option<Vec<(usize, Option<[u8; 3]>)>> {
    let media_dir = cache.media_dir();
    let write = opts.target != Target::Nothing;
    if write {
        if let Err(e) = std::fs::create_dir_all(&media_dir) {
            diags.push(
                Diagnostic::error(format!("cannot create the image cache: {e}"))
                    .file(rel(&site.root, &media_dir)),
            );
            return None;
        }
    }
    let todo: Vec<usize> = (0..catalog.signs.len())
        .filter(|&i| {
            cache.color(&catalog.signs[i].meta.photo.hash).is_none()
                || write
                    && plans[i]
                        .iter()
                        .any(|r| !media_dir.join(&r.file_name).exists())
        })
        .collect();
    let bar = progress_bar(opts.progress, todo.len(), write);
    let enc = Encoding {
        format: site.config.images.format,
        quality: site.config.images.quality,
    };
    let budget = imaging::budget::Budget::new(imaging::budget::DECODE_BUDGET);
    let made = todo
        .par_iter()
        .map(|&i| {
            let s = &catalog.signs[i];
            let photo = &s.meta.photo;
            let result = std::fs::read(site.root.join(&s.meta.source))
                .map_err(|e| format!("cannot read the photo: {e}"))
                .and_then(|bytes| {
                    let cost = imaging::budget::decode_cost(&bytes, photo.width, photo.height);
                    let _room = budget.take(cost);
                    if write {
                        imaging::make_renditions(
                            &bytes,
                            s.meta.photo.exif.orientation,
                            &plans[i],
                            enc,
                            &media_dir,
                        )
                        .map(|m| Some(m.color))
                    } else {
                        imaging::verify(&bytes, s.meta.photo.exif.orientation, &plans[i])
                            .map(|()| None)
                    }
                });
            bar.inc(1);
            match result {
                Ok(color) => (i, color),
                Err(e) => {
                    let hint = if e.starts_with(imaging::TOO_LARGE) {
                        "publish a smaller copy (at most about 100 megapixels; a progressive JPEG needs more room than a baseline one), or move it out of the photos folder"
                    } else {
                        "check that the photo opens in an image viewer; export it again as a JPEG, or move it out of the photos folder"
                    };
                    diags.push(Diagnostic::error(e).file(&s.meta.source).hint(hint));
                    (i, None)
                }
            }
        })
        .collect();
    bar.finish_and_clear();
    Some(made)
}

fn progress_bar(wanted: bool, n: usize, making: bool) -> ProgressBar {
    if !wanted || n == 0 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(n as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(if making {
            "{spinner} making images {bar:30} {pos}/{len} photos, {eta} left"
        } else {
            "{spinner} checking photos {bar:30} {pos}/{len}, {eta} left"
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
