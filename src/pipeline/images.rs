//! The images stage: plan every sign's renditions, make the ones the cache lacks (for
//! `glyph check`, only decode photos never decoded before), and remember in the cache
//! what was learnt — unless the target is nothing, which writes nothing at all.

use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{BuildOptions, Target};
use crate::cache::{Cache, ManifestEntry};
use crate::catalog::Catalog;
use crate::config::Site;
use crate::diag::{rel, Diagnostic, Diagnostics};
use crate::imaging::{self, budget, Encoding, Rendition};

/// What the images stage gives the render and the output.
pub(super) struct Images {
    /// Per sign, its renditions, smallest first.
    pub plans: Vec<Vec<Rendition>>,
    /// Per sign, its photo's average colour (grey until it has been decoded).
    pub colors: Vec<[u8; 3]>,
    /// Renditions made by this build.
    pub made: usize,
    /// Where the renditions are cached.
    pub media_dir: PathBuf,
}

/// Placeholder colour of a photo that could not be decoded.
const GREY: [u8; 3] = [128, 128, 128];

pub(super) fn images(
    opts: &BuildOptions,
    site: &Site,
    catalog: &Catalog,
    cache: &mut Cache,
    records: Vec<ManifestEntry>,
    diags: &Diagnostics,
) -> Option<Images> {
    let plans: Vec<Vec<Rendition>> = catalog
        .signs
        .iter()
        .map(|s| imaging::plan(&s.meta.slug, &s.meta.photo, &site.config.images))
        .collect();
    let made = make(opts, site, catalog, &plans, cache, diags);
    let mut colors: Vec<Option<[u8; 3]>> = catalog
        .signs
        .iter()
        .map(|s| cache.color(&s.meta.photo.hash))
        .collect();
    let mut renditions_made = 0;
    for (i, c) in made.iter().flatten() {
        if c.is_some() {
            colors[*i] = *c;
            renditions_made += plans[*i].len();
        }
    }
    // Remember what we learnt, even if the build fails later: the work is still valid.
    if opts.target != Target::Nothing {
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
    }
    made?;
    Some(Images {
        plans,
        colors: colors.into_iter().map(|c| c.unwrap_or(GREY)).collect(),
        made: renditions_made,
        media_dir: cache.media_dir(),
    })
}

/// Make the renditions that are not in the cache yet (for `Target::Nothing`, only
/// check that photos never decoded before can be). Returns, per sign index handled,
/// the photo's average colour, or `None` when it failed (the error is in `diags`).
/// `None` as a whole when the image cache cannot be created.
fn make(
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
    let room = budget::Budget::new(budget::DECODE_BUDGET);
    let made = budget::run_each(todo.len(), |k| {
        let i = todo[k];
        let meta = &catalog.signs[i].meta;
        let result = std::fs::read(site.root.join(&meta.source))
            .map_err(imaging::Error::Read)
            .and_then(|bytes| {
                let cost = budget::decode_cost(&bytes, meta.photo.width, meta.photo.height);
                let _lease = room.take(cost);
                let orientation = meta.photo.exif.orientation;
                if write {
                    imaging::make_renditions(&bytes, orientation, &plans[i], enc, &media_dir)
                        .map(|m| Some(m.color))
                } else {
                    imaging::verify(&bytes, orientation, &plans[i]).map(|()| None)
                }
            });
        bar.inc(1);
        match result {
            Ok(color) => (i, color),
            Err(e) => {
                diags.push(
                    Diagnostic::error(e.to_string())
                        .file(&meta.source)
                        .hint(e.hint()),
                );
                (i, None)
            }
        }
    });
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
