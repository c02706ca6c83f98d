//! Claims: which scanned photos are signs of their own, and which belong to another
//! sign because its sidecar lists them under `photos:` (a carousel kept whole).
//!
//! Pure: the lists come from the parsed sidecars, the photos from the scan, and what is
//! on disk where a listed name finds no scanned photo is asked of a probe, so that the
//! error can say why (missing, a link, not a photo).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use super::{extension, PhotoEntry, IMAGE_EXTENSIONS, UNSUPPORTED_IMAGE_EXTENSIONS};
use crate::diag::{rel, suggest, Diagnostic};

/// One entry of a sidecar's `photos:`: the name as written and where it is.
#[derive(Debug, Clone, Copy)]
pub struct Listed<'a> {
    pub file: &'a str,
    pub at: Option<(usize, usize)>,
}

/// What is on disk at a listed name that no scanned photo has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Nothing,
    Link,
    Folder,
    File,
}

/// A sign's photos as indexes into the scan's photos: its cover, then each photo its
/// list claims with the index of its entry in that list, in the list's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub cover: usize,
    pub more: Vec<(usize, usize)>,
}

/// Group the scanned `photos` into signs. `lists[i]` is what the sidecar of `photos[i]`
/// lists (nothing without a sidecar, or with one that does not parse). `probe` says
/// what is at a path below the photos folder (`/`-separated) that no photo has. A
/// photo listed by a sidecar is never a sign of its own, even when the listing is
/// wrong, so that one mistake gives one error.
pub fn group(
    root: &Path,
    photos: &[PhotoEntry],
    lists: &[Vec<Listed>],
    probe: impl Fn(&str) -> Found,
) -> (Vec<Group>, Vec<Diagnostic>) {
    let by_name: HashMap<String, usize> = photos
        .iter()
        .enumerate()
        .map(|(i, p)| (nfc(&p.rel), i))
        .collect();
    let sidecar = |i: usize| photos[i].sidecar.as_deref().map(|s| rel(root, s));
    let mut claimed: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    let mut more: Vec<Vec<(usize, usize)>> = vec![Vec::new(); photos.len()];
    let mut problems = Vec::new();
    for (c, list) in lists.iter().enumerate() {
        let file = sidecar(c).unwrap_or_else(|| PathBuf::from(&photos[c].rel));
        let dir = folder(&photos[c].rel);
        let found = |item: &Listed| by_name.get(&nfc(&join(dir, item.file))).copied();
        // A missing name is never said to be one of the sign's own photos.
        let taken: HashSet<usize> = list.iter().filter_map(found).chain([c]).collect();
        let mut seen: HashMap<usize, usize> = HashMap::new();
        for (k, item) in list.iter().enumerate() {
            let here = |d: Diagnostic| d.file(&file).at_opt(item.at);
            let Some(p) = found(item) else {
                let name = join(dir, item.file);
                let why = not_found(item.file, &name, probe(&name), photos, &taken);
                problems.push(here(why));
                continue;
            };
            if p == c {
                problems.push(here(
                    Diagnostic::error(format!(
                        "`{}` is the photo beside this sidecar, which is the sign's cover already",
                        item.file
                    ))
                    .hint("list only the sign's other photos under `photos:`; remove this entry"),
                ));
            } else if seen.insert(p, k).is_some() {
                problems.push(here(
                    Diagnostic::error(format!("`{}` is listed twice in `photos:`", item.file))
                        .hint("keep one of the two entries"),
                ));
            } else if let Some(&(other, j)) = claimed.get(&p) {
                let first = sidecar(other).unwrap_or_default();
                let at = lists[other][j]
                    .at
                    .map_or(String::new(), |(l, col)| format!(":{l}:{col}"));
                problems.push(here(
                    Diagnostic::error(format!(
                        "the photo `{}` is listed by two sidecars: this one and {}{at}",
                        photos[p].rel,
                        first.display()
                    ))
                    .hint("a photo belongs to one sign; remove it from one of the two `photos:` lists"),
                ));
            } else {
                claimed.insert(p, (c, k));
                more[c].push((p, k));
            }
        }
    }
    for (&p, &(c, k)) in &claimed {
        if let Some(own) = sidecar(p) {
            problems.push(beside_claimed(
                &own,
                &photos[p].rel,
                &sidecar(c).unwrap_or_default(),
                lists[c][k].at,
            ));
        }
    }
    let groups = (0..photos.len())
        .filter(|i| !claimed.contains_key(i))
        .map(|i| Group {
            cover: i,
            more: std::mem::take(&mut more[i]),
        })
        .collect();
    (groups, problems)
}

/// A claimed photo's own sidecar would describe a sign that is not there.
fn beside_claimed(
    own: &Path,
    photo: &str,
    listing: &Path,
    at: Option<(usize, usize)>,
) -> Diagnostic {
    let at = at.map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
    let name = listing.file_name().unwrap_or_default().to_string_lossy();
    Diagnostic::error(format!(
        "this sidecar is beside `{photo}`, which {}{at} lists as a photo of its sign",
        listing.display()
    ))
    .file(own)
    .hint(format!(
        "a listed photo has no sidecar of its own: move what this one says into `{name}` (a photo's `alt:` goes in its entry there) and delete it, or remove the entry"
    ))
}

/// Why a listed name finds no photo, from what is there instead.
fn not_found(
    written: &str,
    path: &str,
    found: Found,
    photos: &[PhotoEntry],
    taken: &HashSet<usize>,
) -> Diagnostic {
    let ext = extension(Path::new(path)).unwrap_or_default();
    let named = |hint: &str| match nearest(path, photos, taken) {
        Some((n, true)) => {
            format!("write `{n}`: a name must match the file's exactly, letter case too")
        }
        Some((n, false)) => format!("did you mean `{n}`?"),
        None => hint.to_string(),
    };
    match found {
        Found::Nothing => Diagnostic::error(format!("the listed photo `{written}` is not there"))
            .hint(named("check the file name (names in `photos:` are relative to the sidecar's folder), or remove the entry")),
        Found::Link => Diagnostic::error(format!(
            "`{written}` is a symbolic link, which glyph does not follow"
        ))
        .hint("copy the photo into the archive instead of linking to it"),
        Found::Folder => Diagnostic::error(format!("`{written}` is a folder, not a photo"))
            .hint("list the photos in it by name, such as more/door-2.jpg"),
        Found::File if UNSUPPORTED_IMAGE_EXTENSIONS.contains(&ext.as_str()) => {
            Diagnostic::error(format!(
                "`{written}` is a `.{ext}` photo, which this build of glyph cannot read"
            ))
            .hint("convert it to JPEG, or remove the entry")
        }
        Found::File if IMAGE_EXTENSIONS.contains(&ext.as_str()) => Diagnostic::error(format!(
            "`{written}` is not one of the archive's photos: hidden and temporary files are skipped, and so are two photos that share one name"
        ))
        .hint(named("rename the photo, and its entry")),
        Found::File => Diagnostic::error(format!(
            "`{written}` is not a photo glyph can read ({})",
            IMAGE_EXTENSIONS.join(", ")
        ))
        .hint("list only photos under `photos:`; convert it to JPEG, or remove the entry"),
    }
}

/// The scanned photo in the same folder, not `taken`, whose name is closest to
/// `path`'s, and whether it differs only in letter case.
fn nearest<'a>(
    path: &str,
    photos: &'a [PhotoEntry],
    taken: &HashSet<usize>,
) -> Option<(&'a str, bool)> {
    let dir = folder(path);
    let name = file_name(path);
    let here: Vec<&str> = photos
        .iter()
        .enumerate()
        .filter(|(i, p)| folder(&p.rel) == dir && !taken.contains(i))
        .map(|(_, p)| file_name(&p.rel))
        .collect();
    match here
        .iter()
        .find(|n| n.to_lowercase() == name.to_lowercase())
    {
        Some(same) => Some((same, true)),
        None => suggest(name, here.iter().copied()).map(|n| (n, false)),
    }
}

fn folder(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, name)| name)
}

/// `file` (relative to `dir`, already known not to leave it) as a path below the photos
/// folder, without empty or `.` parts.
fn join(dir: &str, file: &str) -> String {
    dir.split('/')
        .chain(file.split('/'))
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Names compare in NFC, as the scan pairs them.
fn nfc(s: &str) -> String {
    s.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(rel: &str, sidecar: bool) -> PhotoEntry {
        PhotoEntry {
            image: PathBuf::from("/site/photos").join(rel),
            rel: rel.into(),
            sidecar: sidecar.then(|| {
                PathBuf::from("/site/photos")
                    .join(rel)
                    .with_extension("yaml")
            }),
        }
    }

    fn listed<'a>(names: &[&'a str]) -> Vec<Listed<'a>> {
        names
            .iter()
            .enumerate()
            .map(|(i, file)| Listed {
                file,
                at: Some((i + 2, 5)),
            })
            .collect()
    }

    fn run(photos: &[PhotoEntry], lists: &[Vec<Listed>]) -> (Vec<Group>, Vec<String>) {
        let (groups, problems) = group(Path::new("/site"), photos, lists, |p| match p {
            "2024/clip.mp4" => Found::File,
            "2024/link.jpg" => Found::Link,
            _ => Found::Nothing,
        });
        (groups, problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn listed_photos_join_their_sign_in_order() {
        let photos = [
            photo("2024/door-2.jpg", false),
            photo("2024/door.jpg", true),
            photo("2024/more/door-3.jpg", false),
            photo("2024/other.jpg", false),
        ];
        let lists = [
            vec![],
            listed(&["more/./door-3.jpg", "door-2.jpg"]),
            vec![],
            vec![],
        ];
        let (groups, problems) = run(&photos, &lists);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            groups,
            [
                Group {
                    cover: 1,
                    more: vec![(2, 0), (0, 1)]
                },
                Group {
                    cover: 3,
                    more: vec![]
                }
            ]
        );
    }

    #[test]
    fn every_wrong_listing_is_an_error_at_its_entry() {
        let photos = [
            photo("2024/a.jpg", true),
            photo("2024/b.jpg", true),
            photo("2024/Door-2.jpg", false),
            photo("2024/shared.jpg", false),
        ];
        let lists = [
            listed(&["a.jpg", "door-2.jpg", "clip.mp4", "link.jpg", "shared.jpg"]),
            listed(&["shared.jpg", "Door-2.jpg", "Door-2.jpg"]),
            vec![],
            vec![],
        ];
        let (groups, problems) = run(&photos, &lists);
        let readable = IMAGE_EXTENSIONS.join(", ");
        assert_eq!(
            problems,
            [
                "error: photos/2024/a.yaml:2:5: `a.jpg` is the photo beside this sidecar, which is the sign's cover already\n  hint: list only the sign's other photos under `photos:`; remove this entry".to_string(),
                "error: photos/2024/a.yaml:3:5: the listed photo `door-2.jpg` is not there\n  hint: write `Door-2.jpg`: a name must match the file's exactly, letter case too".into(),
                format!("error: photos/2024/a.yaml:4:5: `clip.mp4` is not a photo glyph can read ({readable})\n  hint: list only photos under `photos:`; convert it to JPEG, or remove the entry"),
                "error: photos/2024/a.yaml:5:5: `link.jpg` is a symbolic link, which glyph does not follow\n  hint: copy the photo into the archive instead of linking to it".into(),
                "error: photos/2024/b.yaml:2:5: the photo `2024/shared.jpg` is listed by two sidecars: this one and photos/2024/a.yaml:6:5\n  hint: a photo belongs to one sign; remove it from one of the two `photos:` lists".into(),
                "error: photos/2024/b.yaml:4:5: `Door-2.jpg` is listed twice in `photos:`\n  hint: keep one of the two entries".into(),
            ]
        );
        // Listed photos are no signs of their own, whichever sidecar won them.
        let covers: Vec<_> = groups.iter().map(|g| g.cover).collect();
        assert_eq!(covers, [0, 1]);
        assert_eq!(groups[0].more, [(3, 4)]);
        assert_eq!(groups[1].more, [(2, 1)]);
    }

    #[test]
    fn a_sidecar_beside_a_listed_photo_names_both() {
        let photos = [photo("door-2.jpg", true), photo("door.jpg", true)];
        let lists = [vec![], listed(&["door-2.jpg"])];
        let (groups, problems) = run(&photos, &lists);
        assert_eq!(groups.len(), 1);
        assert_eq!(
            problems,
            ["error: photos/door-2.yaml: this sidecar is beside `door-2.jpg`, which photos/door.yaml:2:5 lists as a photo of its sign\n  hint: a listed photo has no sidecar of its own: move what this one says into `door.yaml` (a photo's `alt:` goes in its entry there) and delete it, or remove the entry"]
        );
    }
}
