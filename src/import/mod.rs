//! `glyph import PATH`: bring photos into the archive with drafted sidecars, from a
//! folder of camera photos (`folder`) or from an Instagram or WordPress export
//! (`from_export`: one post, one sign, a carousel's photos kept together).
//!
//! What PATH is, is told by its content (`export::detect`) unless `--from` says. Both
//! kinds plan first and then, unless `--dry-run`, carry the plan out with `apply`,
//! which never replaces a file. Nothing is ever written into an export, and nothing is
//! fetched: the photos are the export's own files.

mod apply;
mod archive_index;
mod caption;
mod error;
mod export;
mod fingerprints;
mod folder;
mod from_export;
pub mod naming;
mod post_place;
mod post_sidecar;
mod posts;
mod report;
mod similar;

use std::path::{Path, PathBuf};

use crate::config::{Overrides, Site};
use crate::diag::Diagnostic;
pub(crate) use error::Problem;
pub(crate) use export::Kind;
pub(crate) use folder::Summary;
pub(crate) use report::Summary as ExportSummary;

#[derive(Debug, Clone)]
pub(crate) struct ImportOptions {
    pub root: PathBuf,
    /// The folder, the Instagram export (folder or .zip) or the WXR file.
    pub path: PathBuf,
    /// What PATH is, when not told by its content.
    pub from: Option<Kind>,
    /// WordPress: the copied uploads folder (or the `wp-content` or site folder above).
    pub media: Option<PathBuf>,
    /// Delete each source after its copy is verified (folders only).
    pub move_files: bool,
    /// Exports: no `draft: true` (the posts were public already).
    pub publish: bool,
    pub dry_run: bool,
}

/// How an import went, for the command line's summary and exit code.
#[derive(Debug)]
pub(crate) enum Report {
    Folder(Summary),
    Export(Box<ExportSummary>),
}

/// Plan and (unless dry-run) carry out an import, printing a line per photo or post.
/// Errors are problems that stop the whole import before anything is done.
pub(crate) fn run(opts: &ImportOptions) -> Result<Report, Diagnostic> {
    let site = Site::load(&opts.root, &Overrides::default()).map_err(|mut ds| ds.remove(0))?;
    let kind = match opts.from {
        Some(k) => k,
        None => detect(&opts.path)?,
    };
    check_options(opts, kind)?;
    check_overlap(&site, &opts.path)?;
    if let Some(media) = &opts.media {
        check_overlap(&site, media)?;
    }
    match kind {
        Kind::Folder => Ok(Report::Folder(folder::run(&site, opts))),
        _ => from_export::run(&site, opts, kind).map(|s| Report::Export(Box::new(s))),
    }
}

/// What PATH is, by its content.
fn detect(path: &Path) -> Result<Kind, Diagnostic> {
    match export::detect(path) {
        Ok(k) => Ok(k),
        // A folder with no photo yet imports nothing, as it always has.
        Err(export::ExportError::NotAnExport { .. }) if path.is_dir() => Ok(Kind::Folder),
        Err(e) => Err(Diagnostic::from(&e)),
    }
}

/// Options that make no sense for what PATH is.
fn check_options(opts: &ImportOptions, kind: Kind) -> Result<(), Diagnostic> {
    if kind != Kind::Folder && opts.move_files {
        return Err(Diagnostic::error("--move is for a folder of photos, not an export")
            .hint("an export is never changed: its photos are copied; delete it yourself once imported"));
    }
    if kind == Kind::Folder && opts.publish {
        return Err(Diagnostic::error("--publish is for exports, whose posts were public already")
            .hint("photos from a folder are drafted so they can be described first; delete `draft: true` to publish one"));
    }
    if kind != Kind::WordPress && opts.media.is_some() {
        return Err(
            Diagnostic::error("--media is the uploads folder of a WordPress export")
                .hint("an Instagram export and a folder hold their photos themselves"),
        );
    }
    if kind == Kind::Folder && !opts.path.is_dir() {
        return Err(Diagnostic::error(format!(
            "{} is not a folder",
            opts.path.display()
        )));
    }
    Ok(())
}

/// Importing from inside the archive would copy it into itself.
fn check_overlap(site: &Site, path: &Path) -> Result<(), Diagnostic> {
    let path = path.canonicalize().map_err(|e| {
        Diagnostic::error(format!("cannot open {}: {e}", path.display()))
            .hint("give the folder the new photos are in, or the export")
    })?;
    if let Ok(photos) = site.photos.canonicalize() {
        if path.starts_with(&photos) || photos.starts_with(&path) {
            return Err(Diagnostic::error(format!(
                "{} overlaps the archive's photos folder",
                path.display()
            ))
            .hint("import from a folder outside photos/, such as the phone's export folder"));
        }
    }
    Ok(())
}
