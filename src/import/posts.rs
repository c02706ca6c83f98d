//! Planning an export's posts into signs: one post, one sign, its photos in order.
//! Pure: the photos come in already read (facts and fingerprint), geocoding uses the
//! compiled-in place data, and whether a file exists is asked of a function, so the
//! plan is the same for the same inputs.
//!
//! A post is skipped when its `origin` is in the archive already (a re-run changes
//! nothing), and as a duplicate when one of its photos is a photo of the archive or of
//! an earlier post: the same bytes, or the same picture re-encoded or resized. Two
//! photos of one post that are one picture keep the first. The caption gives the place,
//! city, country, text and tags; GPS (the export's or the photo's) wins over the city
//! named in the caption, whose position is taken only when that name is not ambiguous.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::FixedOffset;

use super::caption::{self, Caption};
use super::error::Problem;
use super::export::{Kind, MediaKind, Post};
use super::naming;
use super::post_place::locate;
pub(crate) use super::post_place::Note;
use super::post_sidecar::{self, DateFrom, Draft, OtherPhoto, Position};
use super::similar::{self, Fingerprint};
use crate::metadata::{PhotoFacts, SignDate};

/// One photo of a post, as read from the export.
#[derive(Debug)]
pub(crate) struct ReadPhoto {
    /// Its index in `Post::media`.
    pub media: usize,
    pub read: Result<Photo, Problem>,
}

#[derive(Debug, Clone)]
pub(crate) struct Photo {
    pub facts: PhotoFacts,
    /// By its content: "jpg", "png", "webp", "heic".
    pub ext: &'static str,
    pub fingerprint: Fingerprint,
}

/// How two photos are the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Same {
    Bytes,
    /// The same picture, this many bits apart (`similar`).
    Picture(u32),
}

#[derive(Debug)]
pub(crate) struct PostPlan {
    pub action: Action,
    /// Photos left out because they cannot be read: (file in the export, why).
    pub unreadable: Vec<(String, Problem)>,
    pub videos: usize,
}

#[derive(Debug)]
pub(crate) enum Action {
    /// Imported before (a sidecar records its origin).
    Already,
    /// `media` (a file in the export) is already in the archive, or in an earlier post
    /// of this import, as `twin`; the post's `others` other photos are left out too.
    Duplicate {
        media: String,
        twin: PathBuf,
        same: Same,
        others: usize,
    },
    /// No photo to make a sign of: only videos, or none could be read.
    NoPhoto,
    Sign(Box<Sign>),
}

#[derive(Debug)]
pub(crate) struct Sign {
    /// The cover first.
    pub photos: Vec<Planned>,
    pub sidecar: PathBuf,
    pub text: String,
    pub notes: Vec<Note>,
    /// Photos of the post left out as repeats of another of its photos: (file, the
    /// index in `photos` of the one kept, how they are the same).
    pub repeats: Vec<(String, usize, Same)>,
    /// For the report: what was found.
    pub summary: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Planned {
    /// Its index in `Post::media`.
    pub media: usize,
    /// Where it goes.
    pub to: PathBuf,
    pub hash: String,
}

/// What is known before the first post: the archive's photos, names and origins.
pub(crate) struct Known {
    /// Content hash → photo, relative to the site root.
    pub hashes: HashMap<String, PathBuf>,
    pub fingerprints: Vec<(Fingerprint, PathBuf)>,
    pub origins: HashSet<String>,
    pub taken: HashSet<String>,
    /// The site's languages, the default first (the drafts say how to translate).
    pub languages: Vec<String>,
}

pub(crate) struct Planner<'a> {
    kind: Kind,
    root: &'a Path,
    photos_dir: &'a Path,
    publish: bool,
    /// Whether a file is there already (stale, or added since the archive was read).
    exists: &'a dyn Fn(&Path) -> bool,
    known: Known,
}

/// Where a post came from, as its sidecar records it: `instagram:<first media uri>`,
/// `wordpress:<post id>`.
pub(crate) fn origin(kind: Kind, post: &Post) -> String {
    let from = match kind {
        Kind::Instagram => "instagram",
        Kind::WordPress => "wordpress",
        Kind::Folder => "folder",
    };
    format!("{from}:{}", post.id)
}

/// A post in messages: its file and line in the export, and its caption's start.
pub(crate) fn label(post: &Post) -> String {
    let file = post.origin.file.file_name().unwrap_or_default();
    let mut s = file.to_string_lossy().into_owned();
    if let Some(line) = post.origin.line {
        s.push_str(&format!(":{line}"));
    }
    let text = post.title.as_deref().or(post.caption.as_deref());
    let one_line = |t: &str| {
        naming::one_line(t)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Some(text) = text.map(one_line) {
        let short: String = text.chars().take(40).collect();
        let more = if short.len() < text.len() { "…" } else { "" };
        s.push_str(&format!(" “{short}{more}”"));
    }
    s
}

impl<'a> Planner<'a> {
    pub(crate) fn new(
        kind: Kind,
        root: &'a Path,
        photos_dir: &'a Path,
        publish: bool,
        exists: &'a dyn Fn(&Path) -> bool,
        known: Known,
    ) -> Self {
        Planner {
            kind,
            root,
            photos_dir,
            publish,
            exists,
            known,
        }
    }

    /// The plan for one post; later posts see the names and photos it takes.
    pub(crate) fn plan(&mut self, post: &Post, read: Vec<ReadPhoto>) -> PostPlan {
        let videos = post
            .media
            .iter()
            .filter(|m| m.kind == MediaKind::Video)
            .count();
        let mut plan = PostPlan {
            action: Action::NoPhoto,
            unreadable: Vec::new(),
            videos,
        };
        if self.known.origins.contains(&origin(self.kind, post)) {
            plan.action = Action::Already;
            return plan;
        }
        let mut kept: Vec<(usize, Photo)> = Vec::new();
        let mut repeats = Vec::new();
        for r in read {
            let file = post.media[r.media].file.clone();
            match r.read {
                Ok(photo) => match repeat_of(&photo, &kept) {
                    Some((i, same)) => repeats.push((file, i, same)),
                    None => kept.push((r.media, photo)),
                },
                Err(why) => plan.unreadable.push((file, why)),
            }
        }
        if kept.is_empty() {
            return plan;
        }
        for (m, photo) in &kept {
            if let Some((twin, same)) = self.twin(photo) {
                plan.action = Action::Duplicate {
                    media: post.media[*m].file.clone(),
                    twin,
                    same,
                    others: kept.len() - 1,
                };
                return plan;
            }
        }
        plan.action = Action::Sign(Box::new(self.sign(post, kept, repeats)));
        plan
    }

    /// The archive's or an earlier post's photo that `photo` is, if any: the same bytes
    /// first, else the nearest same picture.
    fn twin(&self, photo: &Photo) -> Option<(PathBuf, Same)> {
        if let Some(p) = self.known.hashes.get(&photo.facts.hash) {
            return Some((p.clone(), Same::Bytes));
        }
        self.known
            .fingerprints
            .iter()
            .map(|(fp, p)| (similar::distance(fp, &photo.fingerprint), p))
            .filter(|(d, _)| *d <= similar::SAME_PICTURE_MAX_DISTANCE)
            .min_by_key(|(d, _)| *d)
            .map(|(d, p)| (p.clone(), Same::Picture(d)))
    }

    fn sign(
        &mut self,
        post: &Post,
        kept: Vec<(usize, Photo)>,
        repeats: Vec<(String, usize, Same)>,
    ) -> Sign {
        let (mut draft, notes) = self.draft(post, &kept);
        let (dir, name) = self.name(&draft, &kept);
        let file = |i: usize, ext: &str| match i {
            0 => format!("{name}.{ext}"),
            i => format!("{name}-{}.{ext}", i + 1),
        };
        let mut photos = Vec::with_capacity(kept.len());
        for (i, (m, p)) in kept.iter().enumerate() {
            let f = file(i, p.ext);
            let to = dir.join(&f);
            // Later posts' duplicates are duplicates of where it is going.
            let at = crate::diag::rel(self.root, &to);
            self.known.hashes.insert(p.facts.hash.clone(), at.clone());
            self.known.fingerprints.push((p.fingerprint, at));
            if i > 0 {
                draft.photos.push(OtherPhoto {
                    file: f,
                    alt: post.media[*m].alt.clone(),
                    caption: post.media[*m].caption.clone(),
                });
            }
            photos.push(Planned {
                media: *m,
                to,
                hash: p.facts.hash.clone(),
            });
        }
        Sign {
            summary: summary(&draft, photos.len()),
            sidecar: dir.join(format!("{name}.yaml")),
            text: post_sidecar::text(&draft),
            photos,
            notes,
            repeats,
        }
    }

    /// What the sidecar says of the post (all but its other photos' names), and what
    /// the summary should list about its place.
    fn draft(&self, post: &Post, kept: &[(usize, Photo)]) -> (Draft, Vec<Note>) {
        let caption = post.caption.as_deref().map(caption::parse);
        let title_line = post.title.as_deref().map(caption::parse);
        // The caption's place line, else (WordPress) the title's.
        let line = [&caption, &title_line]
            .into_iter()
            .flatten()
            .find(|c| c.country.is_some());
        let gps = kept
            .iter()
            .find_map(|(m, p)| post.media[*m].gps.or(p.facts.exif.location));
        let place = locate(line, gps);
        let title = post
            .title
            .clone()
            .or_else(|| place.place.clone())
            .or_else(|| line.and_then(|c| c.city.clone()));
        let text = caption
            .as_ref()
            .map(|c| c.text.clone())
            .filter(|t| !t.is_empty());
        // A WordPress post's text is kept only when the caption is not all of it.
        let original = match self.kind {
            Kind::Instagram => post.caption.clone(),
            _ => post.caption.clone().filter(|o| text.as_ref() != Some(o)),
        };
        let cover = &post.media[kept[0].0];
        let draft = Draft {
            from: match self.kind {
                Kind::WordPress => "WordPress",
                _ => "Instagram",
            },
            published: post.published,
            title,
            place: place.place,
            city: place.city,
            country: place.country,
            position: place.position,
            date: sign_date(post, kept),
            tags: tags(caption.as_ref(), &post.tags),
            caption: text,
            alt: cover.alt.clone(),
            cover_caption: cover.caption.clone(),
            photos: Vec::new(),
            origin: origin(self.kind, post),
            draft: post.draft || !self.publish,
            original,
            languages: self.known.languages.clone(),
        };
        (draft, place.notes)
    }

    /// The sign's folder (its year) and the name of its cover, read from its title or
    /// place and date, free for all of its photos.
    fn name(&mut self, d: &Draft, kept: &[(usize, Photo)]) -> (PathBuf, String) {
        let words = (d.title.as_deref())
            .or(d.city.as_deref())
            .or(d.country.as_ref().map(|c| c.1.as_str()));
        let readable = naming::place_part(words, None, "");
        let date = d.date.as_ref().map(|d| &d.0);
        let base = naming::base_name(date, readable.as_deref());
        let year = date.map_or("undated".to_string(), |d| d.date.format("%Y").to_string());
        let dir = self.photos_dir.join(year);
        let exts: Vec<&str> = kept.iter().map(|(_, p)| p.ext).collect();
        let name = self.free_name(&base, &dir, &exts);
        (dir, name)
    }

    /// `base`, or `base-2`…, such that it and the names of the sign's other photos
    /// (`<name>-2`, `<name>-3`…) are all free; they are then taken.
    fn free_name(&mut self, base: &str, dir: &Path, exts: &[&str]) -> String {
        let stems = |name: &str| -> Vec<String> {
            let others = (2..=exts.len()).map(|k| format!("{name}-{k}"));
            std::iter::once(name.to_string()).chain(others).collect()
        };
        let name = loop {
            let candidate = naming::unique(base, &self.known.taken);
            let stems = stems(&candidate);
            let free = stems.iter().zip(exts).all(|(s, ext)| {
                !self.known.taken.contains(s)
                    && !(self.exists)(&dir.join(format!("{s}.{ext}")))
                    && !(self.exists)(&dir.join(format!("{s}.yaml")))
            });
            self.known.taken.insert(candidate.clone());
            if free {
                break candidate;
            }
        };
        self.known.taken.extend(stems(&name));
        name
    }
}

/// The photo of `kept` that `photo` repeats, if any.
fn repeat_of(photo: &Photo, kept: &[(usize, Photo)]) -> Option<(usize, Same)> {
    kept.iter().enumerate().find_map(|(i, (_, k))| {
        if k.facts.hash == photo.facts.hash {
            return Some((i, Same::Bytes));
        }
        let (a, b) = (&k.fingerprint, &photo.fingerprint);
        similar::is_same_picture(a, b).then(|| (i, Same::Picture(similar::distance(a, b))))
    })
}

/// The photo's capture time as the export recorded it, else the photo's EXIF, else
/// the post's time (in UTC, which it is).
fn sign_date(post: &Post, kept: &[(usize, Photo)]) -> Option<(SignDate, DateFrom)> {
    let recorded = kept
        .iter()
        .find_map(|(m, _)| post.media[*m].taken)
        .map(|t| SignDate {
            date: t.date(),
            time: Some(t.time()),
            offset: None,
        });
    let exif = || kept.iter().find_map(|(_, p)| p.facts.exif.date());
    if let Some(d) = recorded.or_else(exif) {
        return Some((d, DateFrom::Photo));
    }
    let cover = &post.media[kept[0].0];
    let t = post.published.or(cover.uploaded)?;
    let d = SignDate {
        date: t.date_naive(),
        time: Some(t.time()),
        offset: FixedOffset::east_opt(0),
    };
    Some((d, DateFrom::Post))
}

/// The caption's hashtags, then the post's own tags (WordPress), each style once.
fn tags(caption: Option<&Caption>, post_tags: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    caption
        .map(|c| c.tags.as_slice())
        .unwrap_or_default()
        .iter()
        .chain(post_tags)
        .filter(|t| seen.insert(slug::slugify(t)))
        .cloned()
        .collect()
}

/// "+2 photos; Simons (Square One), Mississauga, CA; the city's position".
fn summary(d: &Draft, photos: usize) -> String {
    let mut found = Vec::new();
    if photos > 1 {
        found.push(format!("+{}", crate::util::plural(photos - 1, "photo")));
    }
    let where_: Vec<&str> = [
        d.place.as_deref(),
        d.city.as_deref(),
        d.country.as_ref().map(|c| c.0.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    found.push(if where_.is_empty() {
        "no place".to_string()
    } else {
        where_.join(", ")
    });
    found.push(
        match &d.position {
            Some(Position::Gps { .. }) => "GPS",
            Some(Position::City { .. }) => "the city's position",
            _ => "no position",
        }
        .to_string(),
    );
    found.join("; ")
}

#[cfg(test)]
#[path = "posts_tests.rs"]
mod tests;
