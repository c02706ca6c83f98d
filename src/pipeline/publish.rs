//! The render and publish stages: pages through the theme, then the site to its
//! target. Which pages need rendering again is known from a memo that depends on the
//! target: a serve session keeps the fingerprint of every page in memory (`preview`);
//! a build to disk trusts the record of what the output folder holds
//! (`output::published`); `check` has none.
//! Every build to disk also records whether it succeeded, for `glyph deploy`.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::images::Images;
use super::preview::{self, Preview};
use super::{BuildOptions, BuildReport, Session, Target};
use crate::catalog::Catalog;
use crate::config::Site;
use crate::diag::{rel, Diagnostic, Diagnostics};
use crate::output::published::{self, Intact, Published};
use crate::output::{self, SiteFiles};
use crate::render::{self, theme::Theme, ContentPage, RenderInput, RenderMemo};

/// What the render needs from the stages before it.
pub(super) struct Input<'a> {
    pub site: &'a Site,
    pub catalog: &'a Catalog,
    pub pages: &'a [ContentPage],
    pub home_intro: Option<&'a str>,
    pub home_intro_translations: &'a std::collections::BTreeMap<String, String>,
    pub images: &'a Images,
}

/// The rendered site, with what the output needs to record it.
pub(super) struct Rendered {
    pub files: SiteFiles,
    /// HTML pages already given to the output as they were rendered.
    streamed: usize,
    /// The output being written (a build to disk), which knows what it held before.
    spool: Option<output::Spool>,
    /// The memo of a build to disk without a session: the next build's record.
    disk_memo: Option<RenderMemo>,
    /// The memo of a preview, given back to the session when the build succeeds.
    preview_memo: Option<RenderMemo>,
}

impl Rendered {
    /// The counts of the report that the render knows.
    pub fn report(&self, images: &Images) -> BuildReport {
        let html = |p: &str| p.ends_with(".html");
        BuildReport {
            pages: self.files.generated.iter().filter(|(p, _)| html(p)).count()
                + self.files.kept.iter().filter(|p| html(p)).count()
                + self.streamed,
            images_made: images.made,
            images_cached: self.files.media.len(),
            ..BuildReport::default()
        }
    }
}

/// Render every page whose inputs changed since the memo's build; `None` when the
/// theme or a template fails.
pub(super) fn render(
    opts: &BuildOptions,
    input: &Input,
    preview: &mut Preview,
    as_left: Option<usize>,
    diags: &Diagnostics,
) -> Option<Rendered> {
    let site = input.site;
    let theme = Theme::load(site).map_err(|d| diags.push(d)).ok()?;
    // A build to disk renders only pages whose inputs changed since the output folder
    // was written, and writes only files that changed.
    let before = match opts.target {
        Target::Disk => Published::load(&site.cache, &output::normalise(&site.output))
            .map(|p| p.intact(as_left))
            .unwrap_or_default(),
        Target::Nothing | Target::Preview => Intact::default(),
    };
    // Taken, not borrowed: it goes back to the session only if this build succeeds.
    let mut preview_memo =
        (opts.target == Target::Preview).then(|| std::mem::take(&mut preview.memo));
    let mut disk_memo = (opts.target == Target::Disk).then(|| {
        RenderMemo::published(
            before.templates,
            before.look.clone(),
            before
                .files
                .iter()
                .filter_map(|(p, e)| Some((p.clone(), e.fp?))),
        )
    });
    let render_input = RenderInput {
        site,
        theme: &theme,
        catalog: input.catalog,
        images: &input.images.signs,
        pages: input.pages,
        home_intro: input.home_intro,
        home_intro_translations: input.home_intro_translations,
        live_reload: opts.live_reload,
    };
    let memo = disk_memo.as_mut().or(preview_memo.as_mut());
    let spool = (opts.target == Target::Disk).then(|| output::Spool::new(&site.output, before));
    let sink = |path: &str, bytes: Vec<u8>| {
        let spool = spool.as_ref().expect("a sink only with a spool");
        spool
            .put(path, bytes)
            .map_err(|e| e.diagnostic(&site.root, &site.output))
    };
    let preview_sink = |path: &str, bytes: Vec<u8>| preview::write(&site.output, path, &bytes);
    let sink: Option<render::PageSink> = match opts.target {
        Target::Disk => Some(&sink),
        Target::Preview => Some(&preview_sink),
        Target::Nothing => None,
    };
    let rendered = render::render(&render_input, memo, sink)
        .map_err(|ds| diags.extend(ds))
        .ok()?;
    diags.extend(rendered.warnings.iter().cloned());
    let media: Vec<(String, PathBuf)> = input
        .images
        .renditions()
        .map(|r| {
            (
                r.file_name.clone(),
                input.images.media_dir.join(&r.file_name),
            )
        })
        .collect();
    let mut statics = theme.statics.clone();
    let codes = input.catalog.countries.iter().map(|c| c.country.code);
    render::theme::drop_unused_flags(&mut statics, codes);
    let statics: Vec<_> = statics.into_iter().collect();
    let pages = rendered.files.iter().map(|(p, _)| p.as_str());
    let pages = pages.chain(rendered.streamed.iter().map(String::as_str));
    diags.extend(output::clashes(&site.root, pages, &statics));
    let files = SiteFiles {
        generated: rendered.files,
        kept: rendered.kept,
        statics,
        media,
    };
    Some(Rendered {
        files,
        streamed: rendered
            .streamed
            .iter()
            .filter(|p| p.ends_with(".html"))
            .count(),
        spool,
        disk_memo,
        preview_memo,
    })
}

/// Put the site where the target wants it: the output folder (and the record of it
/// for the next build), or the report for `glyph serve`.
pub(super) fn publish(
    opts: &BuildOptions,
    input: &Input,
    rendered: Rendered,
    session: &mut Session,
    mut report: BuildReport,
    diags: &Diagnostics,
) -> Option<BuildReport> {
    let site = input.site;
    match opts.target {
        Target::Disk => {
            let used = rendered
                .disk_memo
                .as_ref()
                .expect("a build to disk has a memo");
            let fingerprints: HashMap<String, u64> = used
                .fingerprints()
                .map(|(p, f)| (p.to_string(), f))
                .collect();
            let spool = rendered.spool.expect("a build to disk has a spool");
            let written = spool
                .finish(&rendered.files, &fingerprints)
                .map_err(|e| diags.push(e.diagnostic(&site.root, &site.output)))
                .ok()?;
            report.output_changed = written.changed;
            let out_abs = output::normalise(&site.output);
            report.output_files = written.files.keys().cloned().collect();
            let record = Published::new(&out_abs, used.templates(), written.files)
                .with_prev(written.prev)
                .with_look(used.look().clone());
            match record.save(&site.cache) {
                Ok(()) => output::settle(&out_abs),
                Err(e) => diags.push(
                    Diagnostic::warning(format!("cannot save the build cache: {e}"))
                        .file(rel(&site.root, &site.cache)),
                ),
            }
            let keep: HashSet<String> = input
                .images
                .renditions()
                .map(|r| r.file_name.clone())
                .collect();
            if let Some(cache) = &session.cache {
                cache.prune_media(&keep);
            }
            report.output = Some(site.output.clone());
        }
        Target::Preview => {
            let memo = rendered.preview_memo.expect("a preview has a memo");
            let pages = memo.fingerprints().map(|(p, _)| p.to_string());
            let files = session
                .preview
                .finish(&site.root, &site.output, rendered.files, pages)
                .map_err(|d| diags.push(d))
                .ok()?;
            session.preview.memo = memo;
            report.output_files = files.pages.clone();
            report.output = Some(site.output.clone());
            report.preview = Some(files);
        }
        Target::Nothing => {}
    }
    Some(report)
}

/// Record whether this build to disk succeeded, so `glyph deploy` refuses to publish a
/// folder the last build could not replace. Not being able to write it is no problem
/// of the build: the folder still holds a whole, older site, which is all a deploy
/// without the record would publish.
pub(super) fn record_outcome(site: &Site, ok: bool) {
    let _ = published::record_outcome(&site.cache, &output::normalise(&site.output), ok);
}
