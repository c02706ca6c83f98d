//! The images stage: plan every sign's renditions, make the ones the cache lacks (for
//! `glyph check`, only decode photos never decoded before), and remember in the cache
//! what was learnt — unless the target is nothing, which writes nothing at all.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::{BuildOptions, Target};
use crate::cache::{Cache, ManifestEntry};
use crate::catalog::Catalog;
use crate::config::Site;
use crate::diag::{rel, Diagnostic, Diagnostics};
use crate::imaging::{self, budget, Encoding, PhotoImages, Rendition};
use crate::metadata::Photo;

/// What the images stage gives the render and the output.
pub(super) struct Images {
    /// Per sign, per photo (the cover first): its renditions and average colour.
    pub signs: Vec<Vec<PhotoImages>>,
    /// Renditions made by this build.
    pub made: usize,
    /// Where the renditions are cached.
    pub media_dir: PathBuf,
}

impl Images {
    /// Every rendition of every photo of every sign.
    pub fn renditions(&self) -> impl Iterator<Item = &Rendition> {
        self.signs.iter().flatten().flat_map(|p| &p.renditions)
    }
}

/// Placeholder colour of a photo that could not be decoded.
const GREY: [u8; 3] = [128, 128, 128];

/// One photo to make renditions of: the sign's index and the photo's among its photos.
type Job = (usize, usize);

pub(super) fn images(
    opts: &BuildOptions,
    site: &Site,
    catalog: &Catalog,
    cache: &mut Cache,
    records: Vec<ManifestEntry>,
    present: Option<&mut HashSet<String>>,
    diags: &Diagnostics,
) -> Option<Images> {
    let photos: Vec<Vec<&Photo>> = catalog
        .signs
        .iter()
        .map(|s| s.meta.photos().collect())
        .collect();
    let plans: Vec<Vec<Vec<Rendition>>> = catalog
        .signs
        .iter()
        .zip(&photos)
        .map(|(s, photos)| {
            let plan = |(j, p): (usize, &&Photo)| {
                imaging::plan_photo(&s.meta.slug, j, &p.facts, &site.config.images)
            };
            photos.iter().enumerate().map(plan).collect()
        })
        .collect();
    let made = make(
        opts,
        site,
        &photos,
        &plans,
        cache,
        present.as_deref(),
        diags,
    );
    if let (Some(present), Some(made)) = (present, &made) {
        // Known from now on: every rendition of a photo that did not fail.
        let failed: HashSet<Job> = made
            .iter()
            .filter(|(_, c)| c.is_none())
            .map(|(j, _)| *j)
            .collect();
        *present = plans
            .iter()
            .enumerate()
            .flat_map(|(i, ps)| ps.iter().enumerate().map(move |(j, rs)| ((i, j), rs)))
            .filter(|(job, _)| !failed.contains(job))
            .flat_map(|(_, rs)| rs.iter().map(|r| r.file_name.clone()))
            .collect();
    }
    let mut colors: Vec<Vec<Option<[u8; 3]>>> = photos
        .iter()
        .map(|ps| ps.iter().map(|p| cache.color(&p.facts.hash)).collect())
        .collect();
    let mut renditions_made = 0;
    for ((i, j), c) in made.iter().flatten() {
        if c.is_some() {
            colors[*i][*j] = *c;
            renditions_made += plans[*i][*j].len();
        }
    }
    // Remember what we learnt, even if the build fails later: the work is still valid.
    if opts.target != Target::Nothing {
        let color_records = photos
            .iter()
            .flatten()
            .zip(colors.iter().flatten())
            .filter_map(|(p, c)| Some((p.facts.hash.clone(), (*c)?)))
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
    let signs = plans
        .into_iter()
        .zip(colors)
        .map(|(plans, colors)| {
            plans
                .into_iter()
                .zip(colors)
                .map(|(renditions, color)| PhotoImages {
                    renditions,
                    color: color.unwrap_or(GREY),
                })
                .collect()
        })
        .collect();
    Some(Images {
        signs,
        made: renditions_made,
        media_dir: cache.media_dir(),
    })
}

/// Make the renditions that are not in the cache yet (for `Target::Nothing`, only
/// check that photos never decoded before can be). Returns, per photo handled, its
/// average colour, or `None` when it failed (the error is in `diags`). `None` as a
/// whole when the image cache cannot be created.
fn make(
    opts: &BuildOptions,
    site: &Site,
    photos: &[Vec<&Photo>],
    plans: &[Vec<Vec<Rendition>>],
    cache: &Cache,
    present: Option<&HashSet<String>>,
    diags: &Diagnostics,
) -> Option<Vec<(Job, Option<[u8; 3]>)>> {
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
    // A stat of every rendition: in parallel, since they are 20,000 at 10,000 signs.
    let todo: Vec<Job> = photos
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, ps)| (0..ps.len()).map(move |j| (i, j)))
        .filter(|&(i, j)| {
            cache.color(&photos[i][j].facts.hash).is_none()
                || write
                    && plans[i][j].iter().any(|r| {
                        !present.is_some_and(|k| k.contains(&r.file_name))
                            && !media_dir.join(&r.file_name).exists()
                    })
        })
        .collect();
    let bar = progress_bar(opts.progress, todo.len(), write);
    let enc = Encoding {
        format: site.config.images.format,
        quality: site.config.images.quality,
    };
    let room = budget::Budget::new(budget::DECODE_BUDGET);
    let made = budget::run_each(todo.len(), |k| {
        let (i, j) = todo[k];
        let photo = photos[i][j];
        let facts = &photo.facts;
        let result = std::fs::read(site.root.join(&photo.source))
            .map_err(imaging::Error::Read)
            .and_then(|bytes| {
                let cost = budget::decode_cost(&bytes, facts.width, facts.height);
                let _lease = room.take(cost);
                let orientation = facts.exif.orientation;
                if write {
                    imaging::make_renditions(&bytes, orientation, &plans[i][j], enc, &media_dir)
                        .map(|m| Some(m.color))
                } else {
                    imaging::verify(&bytes, orientation, &plans[i][j]).map(|()| None)
                }
            });
        bar.inc(1);
        match result {
            Ok(color) => ((i, j), color),
            Err(e) => {
                diags.push(
                    Diagnostic::error(e.to_string())
                        .file(&photo.source)
                        .hint(e.hint()),
                );
                ((i, j), None)
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
