//! `glyph import FOLDER`: a folder of camera photos, each a new sign.
//!
//! First a plan (read every candidate, its EXIF and content hash; geocode; name it;
//! find duplicates of the archive and of each other), then, unless `--dry-run`, the
//! plan is carried out by `apply`, which never replaces a file and, with `--move`,
//! deletes a source only once its copy is verified.
//!
//! A sidecar already beside a photo in FOLDER (`<stem>.yaml`) is carried over as it
//! is instead of drafting one. Drafted sidecars have `draft: true`, so a new sign is
//! previewed by `glyph serve` but not published until the curator has described it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::archive_index::{self, Archive};
use super::naming::{self, Known};
use super::{apply, ImportOptions, Problem};
use crate::config::Site;
use crate::diag::rel;
use crate::metadata::{self, PhotoFacts};
use crate::scan;

#[derive(Debug)]
pub enum Action {
    Import {
        /// Where the photo goes, and its sidecar.
        photo: PathBuf,
        sidecar: PathBuf,
        /// The sidecar's text: drafted, or carried over from FOLDER.
        sidecar_text: String,
        /// The sidecar found beside the source, when carried over.
        source_sidecar: Option<PathBuf>,
        hash: String,
        /// For the report: what was found.
        summary: String,
    },
    /// The same content is in the archive (or earlier in this import) at this path.
    Duplicate {
        of: PathBuf,
    },
    Problem {
        why: Problem,
    },
}

#[derive(Debug)]
pub struct Item {
    pub source: PathBuf,
    pub action: Action,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub imported: usize,
    pub duplicates: usize,
    pub problems: usize,
}

/// Plan and (unless dry-run) carry out the import of a folder, printing a line per
/// photo.
pub(super) fn run(site: &Site, opts: &ImportOptions) -> Summary {
    let archive = archive_index::read(site);
    let items = plan(site, &opts.path, &archive);
    let mut summary = Summary::default();
    for item in &items {
        let from = item.source.display();
        match &item.action {
            Action::Import {
                photo,
                summary: what,
                ..
            } => {
                let to = rel(&site.root, photo);
                let to = to.display();
                if opts.dry_run {
                    summary.imported += 1;
                    println!("would import {from} → {to} ({what})");
                } else if let Err(why) = apply::carry_out(item, opts.move_files) {
                    summary.problems += 1;
                    println!("problem: {from}: {why}");
                } else {
                    summary.imported += 1;
                    let verb = if opts.move_files { "moved" } else { "imported" };
                    println!("{verb} {from} → {to} ({what})");
                }
            }
            Action::Duplicate { of } => {
                summary.duplicates += 1;
                println!("duplicate: {from} is the same photo as {}", of.display());
            }
            Action::Problem { why } => {
                summary.problems += 1;
                println!("problem: {from}: {why}");
            }
        }
    }
    summary
}

/// One candidate photo, read.
struct Candidate {
    source: PathBuf,
    facts: Result<PhotoFacts, Problem>,
    sidecar: Option<(PathBuf, String)>,
}

/// Every photo under `folder` (any depth; hidden and temp files skipped, links not
/// followed), in a stable order.
fn candidates(folder: &Path) -> Vec<(PathBuf, Option<PathBuf>)> {
    let mut out = Vec::new();
    let walk = scan::walk(folder);
    for e in walk
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() || e.path_is_symlink())
    {
        let path = e.path();
        let ext = path
            .extension()
            .map(|x| x.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if !scan::IMAGE_EXTENSIONS.contains(&ext.as_str())
            && !scan::UNSUPPORTED_IMAGE_EXTENSIONS.contains(&ext.as_str())
        {
            continue;
        }
        // A linked sidecar is not followed, like a linked photo.
        let sidecar = scan::sidecar_names(path)
            .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()));
        out.push((path.to_path_buf(), sidecar));
    }
    out
}

fn read_candidate(source: PathBuf, sidecar: Option<PathBuf>) -> Candidate {
    let ext = source
        .extension()
        .map(|x| x.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let supported = scan::IMAGE_EXTENSIONS.contains(&ext.as_str());
    let link = std::fs::symlink_metadata(&source).is_ok_and(|m| m.file_type().is_symlink());
    let facts = if link {
        // As in the build: a link may point anywhere, and --move would move the link.
        Err(Problem::Symlink)
    } else if !supported {
        Err(Problem::Unsupported(ext))
    } else {
        metadata::read_photo(&source)
            .and_then(|b| metadata::photo_facts(&b))
            .map_err(Problem::from)
    };
    let sidecar = sidecar.and_then(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)));
    Candidate {
        source,
        facts,
        sidecar,
    }
}

fn plan(site: &Site, folder: &Path, archive: &Archive) -> Vec<Item> {
    let read: Vec<Candidate> = candidates(folder)
        .into_par_iter()
        .map(|(source, sidecar)| read_candidate(source, sidecar))
        .collect();
    let mut tags: Vec<(String, usize)> = archive.tags.clone().into_iter().collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut taken = archive.taken.clone();
    let mut items = Vec::with_capacity(read.len());
    for c in read {
        let action = match c.facts {
            Err(why) => Action::Problem { why },
            Ok(facts) => {
                let hash = facts.hash.clone();
                if let Some(of) = archive.hashes.get(&hash).or_else(|| seen.get(&hash)) {
                    Action::Duplicate { of: of.clone() }
                } else {
                    let action = plan_one(site, &c.source, c.sidecar, facts, &tags, &mut taken);
                    // Later copies of it are duplicates of where it is going.
                    if let Action::Import { photo, .. } = &action {
                        seen.insert(hash, rel(&site.root, photo));
                    }
                    action
                }
            }
        };
        items.push(Item {
            source: c.source,
            action,
        });
    }
    items
}

fn plan_one(
    site: &Site,
    source: &Path,
    sidecar: Option<(PathBuf, String)>,
    facts: PhotoFacts,
    tags: &[(String, usize)],
    taken: &mut HashSet<String>,
) -> Action {
    let mut known = what_is_known(source, &facts);
    known.languages = crate::locale::site_languages(site);
    let carried = match &sidecar {
        Some((path, text)) => match metadata::parse_sidecar(text) {
            Ok(s) => Some((path.clone(), text.clone(), s)),
            Err(d) => {
                return Action::Problem {
                    why: Problem::BadSidecar(Box::new(d.file(path.clone()))),
                };
            }
        },
        None => None,
    };
    let stem = source.file_stem().unwrap_or_default().to_string_lossy();
    let city = known.city.as_deref();
    let country = known.country.as_ref().map(|(_, name)| name.as_str());
    let place = naming::place_part(city, country, &stem);
    let base = naming::base_name(known.date.as_ref(), place.as_deref());
    let folder = known
        .date
        .map(|d| d.date.format("%Y").to_string())
        .unwrap_or_else(|| "undated".to_string());
    let ext = source
        .extension()
        .map(|x| x.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let dir = site.photos.join(&folder);
    // Taken names, and names whose files exist already (stale or not yet scanned).
    let name = loop {
        let candidate = naming::unique(&base, taken);
        let photo = dir.join(format!("{candidate}.{ext}"));
        if photo.exists() || dir.join(format!("{candidate}.yaml")).exists() {
            taken.insert(candidate);
            continue;
        }
        break candidate;
    };
    if let Some((_, _, s)) = &carried {
        if let Some(slug) = s.slug.as_deref().map(slug::slugify) {
            if taken.contains(&slug) {
                return Action::Problem {
                    why: Problem::SlugTaken(slug),
                };
            }
            taken.insert(slug);
        }
    }
    taken.insert(name.clone());
    let mut found = Vec::new();
    if let Some(d) = &known.date {
        found.push(d.date.to_string());
    }
    match (&known.city, &known.country) {
        (Some(city), Some((_, country))) => found.push(format!("{city}, {country}")),
        (None, Some((_, country))) => found.push(country.clone()),
        _ if known.location.is_some() => found.push("GPS, no country".into()),
        _ => found.push("no GPS".into()),
    }
    let (sidecar_text, source_sidecar) = match carried {
        Some((path, text, _)) => {
            found.push("sidecar carried over".into());
            (text, Some(path))
        }
        None => (naming::draft_sidecar(&known, tags), None),
    };
    Action::Import {
        photo: dir.join(format!("{name}.{ext}")),
        sidecar: dir.join(format!("{name}.yaml")),
        sidecar_text,
        source_sidecar,
        hash: facts.hash,
        summary: found.join(", "),
    }
}

fn what_is_known(source: &Path, facts: &PhotoFacts) -> Known {
    let location = facts.exif.location().map(|l| (l.lat, l.lon));
    let country = location.and_then(|(lat, lon)| {
        crate::geo::locate::country_code_at(lat, lon).and_then(crate::geo::country_by_code)
    });
    let city = match (&country, location) {
        (Some(c), Some((lat, lon))) => {
            crate::geo::locate::city_near(c.code, lat, lon).map(|(name, _)| name.to_string())
        }
        _ => None,
    };
    Known {
        original: source
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        date: facts.exif.date(),
        location,
        city,
        country: country.map(|c| (c.code.to_string(), c.name.to_string())),
        camera: facts.exif.camera(),
        published: Some(chrono::Local::now().date_naive()),
        languages: Vec::new(),
    }
}
