//! `glyph import` of an Instagram or WordPress export. The export is read (its posts),
//! then each photo of a post not imported before: its bytes once, in parallel, for
//! its facts and perceptual fingerprint, and dropped. The posts are planned in order
//! (`posts`), and each sign is then copied (`apply`), its photos read again and checked
//! against the plan's hashes. Videos are never read.

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::archive_index;
use super::export::{self, Export, Kind, Media, MediaKind};
use super::posts::{self, Action, Known, Photo, Planner, ReadPhoto};
use super::report::Summary;
use super::similar::Fingerprint;
use super::{apply, fingerprints, ImportOptions, Problem};
use crate::cache::Cache;
use crate::config::Site;
use crate::diag::Diagnostic;
use crate::metadata::{self, PhotoError};

pub(super) fn run(site: &Site, opts: &ImportOptions, kind: Kind) -> Result<Summary, Diagnostic> {
    let export =
        export::open(&opts.path, kind, opts.media.as_deref()).map_err(|e| Diagnostic::from(&e))?;
    let archive = archive_index::read(site);
    let mut cache = Cache::open(&site.cache);
    let wanted: Vec<bool> = (export.posts.iter())
        .map(|p| !archive.origins.contains(&posts::origin(kind, p)))
        .collect();
    let read = read_photos(&export, &wanted, &cache);
    for r in read.iter().flatten() {
        if let Ok(p) = &r.read {
            cache.record_fingerprint(p.facts.hash.clone(), p.fingerprint.to_string());
        }
    }
    // Decoding the archive's photos is worth it only when there is something to compare.
    let any = read.iter().flatten().any(|r| r.read.is_ok());
    let known = Known {
        fingerprints: if any {
            archive.fingerprints(&mut cache)
        } else {
            Vec::new()
        },
        hashes: archive.hashes,
        origins: archive.origins,
        taken: archive.taken,
        languages: crate::locale::site_languages(site),
    };
    let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    let mut planner = Planner::new(kind, &site.root, &site.photos, opts.publish, &exists, known);
    let mut summary = Summary::new(&export, opts.dry_run, opts.publish);
    for (post, photos) in export.posts.iter().zip(read) {
        let plan = planner.plan(post, photos);
        let carried = match (&plan.action, opts.dry_run) {
            (Action::Sign(sign), false) => Some(apply::carry_out_sign(sign, |m| {
                export.read_media(&post.media[m]).map_err(Problem::from)
            })),
            _ => None,
        };
        if let Some(line) = summary.record(&site.root, &posts::label(post), &plan, carried.as_ref())
        {
            println!("{line}");
        }
    }
    if !opts.dry_run {
        // Only an accelerator: a cache that cannot be written is read again next time.
        let _ = cache.save();
    }
    Ok(summary)
}

/// The photos of every wanted post, each post's in its order.
fn read_photos(export: &Export, wanted: &[bool], cache: &Cache) -> Vec<Vec<ReadPhoto>> {
    let jobs: Vec<(usize, usize)> = (export.posts.iter().enumerate())
        .filter(|(i, _)| wanted[*i])
        .flat_map(|(i, p)| {
            let photos = p.media.iter().enumerate();
            let photos = photos.filter(|(_, m)| m.kind == MediaKind::Photo);
            photos.map(move |(j, _)| (i, j))
        })
        .collect();
    let bar = progress_bar(jobs.len());
    let done: Vec<(usize, ReadPhoto)> = jobs
        .par_iter()
        .map(|&(i, j)| {
            let read = read_photo(export, &export.posts[i].media[j], cache);
            bar.inc(1);
            (i, ReadPhoto { media: j, read })
        })
        .collect();
    bar.finish_and_clear();
    let mut out: Vec<Vec<ReadPhoto>> = export.posts.iter().map(|_| Vec::new()).collect();
    for (i, r) in done {
        out[i].push(r);
    }
    out
}

fn read_photo(export: &Export, m: &Media, cache: &Cache) -> Result<Photo, Problem> {
    let bytes = export.read_media(m)?;
    metadata::check_size(bytes.len() as u64)?;
    let facts = metadata::photo_facts(&bytes)?;
    let ext = extension(&bytes)?;
    let known = cache.fingerprint(&facts.hash).and_then(Fingerprint::parse);
    let fingerprint = match known {
        Some(f) => f,
        None => fingerprints::of_photo(&bytes, &facts).map_err(Problem::Undecodable)?,
    };
    Ok(Photo {
        facts,
        ext,
        fingerprint,
    })
}

/// The file extension a photo gets, by its content (an export's names may have none).
fn extension(bytes: &[u8]) -> Result<&'static str, Problem> {
    if metadata::heif::is_heif(bytes) {
        return Ok("heic");
    }
    match image::guess_format(bytes) {
        Ok(image::ImageFormat::Jpeg) => Ok("jpg"),
        Ok(image::ImageFormat::Png) => Ok("png"),
        Ok(image::ImageFormat::WebP) => Ok("webp"),
        Ok(other) => Err(Problem::Unsupported(
            other.extensions_str().first().unwrap_or(&"?").to_string(),
        )),
        Err(_) => Err(Problem::Photo(PhotoError::NotAnImage)),
    }
}

/// A bar on stderr while photos are read, when a person is watching.
fn progress_bar(n: usize) -> ProgressBar {
    let watched = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    if n == 0 || !watched {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(n as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} reading the export {bar:30} {pos}/{len} photos, {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
