//! What an export import says: a line per sign as it is drafted, then a summary of the
//! counts and of every post that needs the curator's eye (duplicates with their twins,
//! captions with no place, positions taken from a city, missing and unreadable files).

use std::path::Path;

use super::export::{Export, Kind};
use super::posts::{Action, Note, PostPlan, Same};
use super::Problem;
use crate::diag::rel;
use crate::util::{one_or_many, plural};

#[derive(Debug, Default)]
pub(crate) struct Summary {
    from: &'static str,
    dry_run: bool,
    publish: bool,
    posts: usize,
    signs: usize,
    photos: usize,
    already: usize,
    no_photo: usize,
    videos: usize,
    /// Stories, reels and the rest the export holds apart from posts, counted: "2 stories".
    apart: Vec<String>,
    duplicates: Vec<String>,
    repeats: Vec<String>,
    no_place: Vec<String>,
    from_city: Vec<String>,
    ambiguous: Vec<String>,
    not_found: Vec<String>,
    elsewhere: Vec<String>,
    missing: Vec<String>,
    unreadable: Vec<String>,
}

impl Summary {
    pub(super) fn new(export: &Export, dry_run: bool, publish: bool) -> Summary {
        let s = &export.skipped;
        let apart = [
            (s.videos, "video", "videos"),
            (s.stories, "story", "stories"),
            (s.reels, "reel", "reels"),
            (s.archived, "archived post", "archived posts"),
            (s.deleted, "deleted post", "deleted posts"),
            (s.pages, "page", "pages"),
            (
                s.without_media,
                "post without photos",
                "posts without photos",
            ),
            (s.other, "other item", "other items"),
        ];
        let missing = export.problems.iter().map(|d| match &d.file {
            Some(f) => format!("{} ({})", d.message, f.display()),
            None => d.message.clone(),
        });
        Summary {
            from: match export.kind {
                Kind::WordPress => "WordPress",
                _ => "Instagram",
            },
            dry_run,
            publish,
            posts: export.posts.len(),
            apart: apart
                .into_iter()
                .filter(|(n, ..)| *n > 0)
                .map(|(n, one, many)| format!("{n} {}", one_or_many(n, one, many)))
                .collect(),
            missing: missing.collect(),
            ..Summary::default()
        }
    }

    /// Count one post's plan, and how carrying it out went (`None` on a dry run); the
    /// line to print as it happens, if any.
    pub(super) fn record(
        &mut self,
        root: &Path,
        label: &str,
        plan: &PostPlan,
        carried: Option<&Result<(), Problem>>,
    ) -> Option<String> {
        self.videos += plan.videos;
        for (file, why) in &plan.unreadable {
            self.unreadable.push(format!("{label}: {file}: {why}"));
        }
        match &plan.action {
            Action::Already => self.already += 1,
            Action::NoPhoto => self.no_photo += 1,
            Action::Duplicate {
                media,
                twin,
                same,
                others,
            } => {
                let mut s = format!(
                    "{label}: {media} is {}",
                    same_as(*same, &twin.display().to_string())
                );
                match others {
                    0 => {}
                    1 => s.push_str("; its other photo is left out too"),
                    n => s.push_str(&format!("; its {n} other photos are left out too")),
                }
                self.duplicates.push(s);
            }
            Action::Sign(sign) => {
                if let Some(Err(why)) = carried {
                    self.unreadable.push(format!("{label}: {why}"));
                    return None;
                }
                self.signs += 1;
                self.photos += sign.photos.len();
                for (file, kept, same) in &sign.repeats {
                    let of = format!("photo {} of the post", kept + 1);
                    self.repeats
                        .push(format!("{label}: {file} is {}", same_as(*same, &of)));
                }
                for note in &sign.notes {
                    let item = |s: &str| format!("{label}: {s}");
                    match note {
                        Note::NoPlace => self.no_place.push(label.to_string()),
                        Note::FromCity(c) => self.from_city.push(item(c)),
                        Note::Ambiguous(why) => self.ambiguous.push(item(why)),
                        Note::CityNotFound(c) => self.not_found.push(item(c)),
                        Note::GpsElsewhere(why) => self.elsewhere.push(item(why)),
                    }
                }
                let to = rel(root, &sign.photos[0].to);
                let verb = match (self.dry_run, self.publish) {
                    (true, _) => "would import",
                    (false, true) => "imported",
                    (false, false) => "drafted",
                };
                return Some(format!(
                    "{verb} {label} → {} ({})",
                    to.display(),
                    sign.summary
                ));
            }
        }
        None
    }

    /// Whether a file could not be read: the import's exit code is then 1.
    pub(crate) fn failed(&self) -> bool {
        !self.unreadable.is_empty()
    }

    /// The summary, to print once every post is done.
    pub(crate) fn lines(&self) -> Vec<String> {
        let verb = match (self.dry_run, self.publish) {
            (true, _) => "would import",
            (false, true) => "imported",
            (false, false) => "drafted",
        };
        let mut out = vec![format!(
            "Read {} from the {} export: {verb} {} with {}.",
            plural(self.posts, "post"),
            self.from,
            plural(self.signs, "sign"),
            plural(self.photos, "photo"),
        )];
        let mut skipped: Vec<String> = Vec::new();
        if self.videos > 0 {
            skipped.push(format!("{} in posts", plural(self.videos, "video")));
        }
        skipped.extend(self.apart.iter().cloned());
        if self.already > 0 {
            skipped.push(format!("{} imported before", plural(self.already, "post")));
        }
        if self.no_photo > 0 {
            skipped.push(format!(
                "{} with no photo to import",
                plural(self.no_photo, "post")
            ));
        }
        if !skipped.is_empty() {
            out.push(format!("Skipped: {}.", skipped.join(", ")));
        }
        let sections: [(&str, &[String]); 9] = [
            ("Duplicates, not imported", &self.duplicates),
            ("Photos repeated within a post, left out", &self.repeats),
            ("Captions with no place found", &self.no_place),
            (
                "Positions taken from the city the caption names, not the door's",
                &self.from_city,
            ),
            (
                "Cities that may be several places: no position guessed",
                &self.ambiguous,
            ),
            (
                "Cities not in glyph's place data: no position",
                &self.not_found,
            ),
            ("GPS in another country than the caption's", &self.elsewhere),
            ("Missing from the export", &self.missing),
            ("Unreadable, not imported", &self.unreadable),
        ];
        for (title, items) in sections {
            if items.is_empty() {
                continue;
            }
            out.push(format!("{title} ({}):", items.len()));
            out.extend(items.iter().map(|i| format!("  {i}")));
        }
        if self.dry_run {
            out.push("Nothing was changed (--dry-run).".into());
        }
        out
    }
}

/// "the same photo as X", "the same picture as X (re-encoded or resized)".
fn same_as(same: Same, twin: &str) -> String {
    match same {
        Same::Bytes => format!("the same photo as {twin}"),
        Same::Picture(d) => {
            format!("the same picture as {twin} (re-encoded or resized; {d} of 256 bits differ)")
        }
    }
}
