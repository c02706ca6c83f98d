//! The build, stage by stage: read (config, scan, metadata, pages) → place (geo,
//! catalog) → images → render → publish. This is the only module that reads the
//! curator's files; it never writes next to them. Every stage reports into one list,
//! so a failed build shows every problem at once, and `passes` alone decides whether
//! the build succeeded: nothing is published unless it did.
//!
//! Each stage is a function in its own file taking and returning named structs; the
//! target (disk, memory, nothing) and the memos of a long-running session are dealt
//! with by the stage that needs them.

mod images;
mod place;
pub mod preview;
mod publish;
mod read;
#[cfg(unix)]
mod unchanged;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::cache::Cache;
use crate::config::{Overrides, Site};
use crate::diag::{Diagnostic, Diagnostics};

pub use read::{read_text, SidecarMemo};

/// Where a build's site goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Target {
    /// Into the output folder (`glyph build`).
    #[default]
    Disk,
    /// Nowhere: validate and lint only (`glyph check`). Nothing is written, not even
    /// the cache.
    Nothing,
    /// Into a `glyph serve` session's preview folder (the output folder of its
    /// overrides), changed pages only; see `preview`.
    Preview,
}

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's folder, where `site.yaml` is.
    pub root: PathBuf,
    /// Command-line settings that win over `site.yaml`.
    pub overrides: Overrides,
    /// Where the site goes.
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

/// What a successful build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Signs published.
    pub signs: usize,
    /// Drafts not built (without --drafts).
    pub drafts_left_out: usize,
    /// HTML pages in the site.
    pub pages: usize,
    /// Renditions made by this build.
    pub images_made: usize,
    /// Renditions in the site.
    pub images_cached: usize,
    /// The output folder, for `Target::Disk`.
    pub output: Option<PathBuf>,
    /// Every file in it, as paths below it (`Target::Disk`).
    pub output_files: Vec<String>,
    /// False when the output folder already held exactly this site and was left alone.
    pub output_changed: bool,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Where the server reads each file of the site (`Target::Preview`).
    pub preview: Option<std::sync::Arc<preview::PreviewFiles>>,
}

/// A build's result: the report when it succeeded, and every problem found.
#[derive(Debug)]
pub struct BuildOutcome {
    /// Present when the build succeeded.
    pub report: Option<BuildReport>,
    /// Errors first, then warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildOutcome {
    /// Whether the build succeeded.
    pub fn ok(&self) -> bool {
        self.report.is_some()
    }
}

/// What one build can hand to the next in a long-running process (`glyph serve`): the
/// cache manifest and every sidecar as parsed, so only changed files are read again.
/// Which pages to render again is known from the output's record, as for any build.
#[derive(Default)]
pub struct Session {
    cache: Option<Cache>,
    sidecars: SidecarMemo,
    /// The preview folder's pages (`Target::Preview`).
    preview: preview::Preview,
    /// Renditions a preview build found or made in the cache, so that the next one does
    /// not look for every one of them again (20,000 files at 10,000 signs).
    renditions: std::collections::HashSet<String>,
    /// The output folder holds exactly this many files, as the last silent build
    /// left them (`unchanged`): this build need not check each against its record.
    /// Taken by the one build it was found for.
    output_as_left: Option<usize>,
    /// No build follows this one in the process (`glyph build`): what only a next
    /// build would use is not kept.
    last: bool,
}

/// Build once. A `glyph build` whose inputs and output are as the last silent build
/// left them stops before reading anything (`unchanged`).
pub fn build(opts: &BuildOptions) -> BuildOutcome {
    #[cfg(unix)]
    {
        let started = Instant::now();
        let inputs = unchanged::Inputs::of(opts);
        let mut session = Session {
            last: true,
            ..Session::default()
        };
        match inputs.as_ref().map(unchanged::Inputs::check) {
            Some(unchanged::Check::Unchanged(report)) => {
                return BuildOutcome {
                    report: Some(BuildReport {
                        elapsed: started.elapsed(),
                        ..report
                    }),
                    diagnostics: Vec::new(),
                }
            }
            Some(unchanged::Check::OutputAsLeft(files)) => session.output_as_left = Some(files),
            _ => {}
        }
        inputs.as_ref().map(unchanged::Inputs::forget);
        let outcome = build_in(opts, &mut session);
        if let (Some(inputs), Some(report)) = (inputs, &outcome.report) {
            if outcome.diagnostics.is_empty() {
                inputs.remember(report);
            }
        }
        outcome
    }
    #[cfg(not(unix))]
    build_in(
        opts,
        &mut Session {
            last: true,
            ..Session::default()
        },
    )
}

/// Build, reusing (and updating) what `session` learnt from earlier builds.
pub fn build_in(opts: &BuildOptions, session: &mut Session) -> BuildOutcome {
    let started = Instant::now();
    let diags = Diagnostics::new();
    let site = read::load_site(opts, &diags);
    let report = site
        .as_ref()
        .and_then(|site| run(opts, site, session, &diags));
    let diagnostics = diags.into_sorted();
    let ok = passes(
        diagnostics.iter().any(Diagnostic::is_error),
        !diagnostics.is_empty(),
        opts.strict,
    );
    if let (Some(site), Target::Disk) = (&site, opts.target) {
        publish::record_outcome(site, ok && report.is_some());
    }
    BuildOutcome {
        report: report.filter(|_| ok).map(|r| BuildReport {
            elapsed: started.elapsed(),
            ..r
        }),
        diagnostics,
    }
}

/// The one rule for success: no errors, and under `--strict` no warnings either.
fn passes(errors: bool, warnings: bool, strict: bool) -> bool {
    !(errors || strict && warnings)
}

fn run(
    opts: &BuildOptions,
    site: &Site,
    session: &mut Session,
    diags: &Diagnostics,
) -> Option<BuildReport> {
    let mut laps = Laps::new();
    let mut cache = match session.cache.take() {
        Some(c) if c.dir() == site.cache => c,
        _ => Cache::open(&site.cache),
    };
    let memo = (!session.last).then_some(&mut session.sidecars);
    let read = read::read(site, &cache, memo, diags);
    laps.lap("read");
    let placed = place::place(site, read.metas, &mut cache, diags);
    laps.lap("geo+catalog");
    let present = (opts.target == Target::Preview).then_some(&mut session.renditions);
    let images = images::images(
        opts,
        site,
        &placed.catalog,
        &mut cache,
        read.records,
        present,
        diags,
    );
    session.cache = Some(cache);
    laps.lap("imaging");
    let input = publish::Input {
        site,
        catalog: &placed.catalog,
        pages: &read.pages,
        home_intro: read.home_intro.as_deref(),
        home_intro_translations: &read.home_intro_translations,
        images: &images?,
    };
    let as_left = session.output_as_left.take();
    let rendered = publish::render(opts, &input, &mut session.preview, as_left, diags)?;
    laps.lap("render");
    if opts.lint {
        diags.extend(crate::check::lint(&crate::check::LintInput {
            site,
            catalog: &placed.catalog,
            pages: &read.pages,
            home_intro: read.home_intro.as_ref().map(|_| {
                (
                    crate::diag::rel(&site.root, &site.content.join("_index.md")),
                    &read.home_intro_translations,
                )
            }),
            files: &rendered.files,
        }));
    }
    if !passes(diags.has_errors(), !diags.is_empty(), opts.strict) {
        return None;
    }
    let report = BuildReport {
        signs: placed.catalog.signs.len(),
        drafts_left_out: placed.drafts_left_out,
        ..rendered.report(input.images)
    };
    let report = publish::publish(opts, &input, rendered, session, report, diags)?;
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
                "  {stage:<12} {:>7.1} ms{}",
                t.elapsed().as_secs_f64() * 1000.0,
                peak_memory().map_or(String::new(), |kb| format!("  (peak {} MB)", kb / 1024))
            );
            self.0 = Some(Instant::now());
        }
    }
}

/// The process's peak resident memory so far, in KiB, where the system tells it.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::passes;

    #[test]
    fn strict_fails_on_warnings_and_errors_always_fail() {
        assert!(passes(false, false, false));
        assert!(passes(false, true, false));
        assert!(!passes(false, true, true));
        assert!(!passes(true, true, false));
        assert!(passes(false, false, true));
    }
}
