//! What a deploy sends, decided without touching the disk or the network: the files of
//! the build that differ from what was last sent to the target, the order they go in,
//! the files to delete there, and the words for it (which signs were added, changed or
//! removed).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::output::published::{content_hash, Entry};
use crate::util::plural;

/// One file as sent to a target: its size and content hash. Derived images have no
/// hash in the build's record because their names carry it (`media/<slug>-480.<hash8>.jpg`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Sent {
    pub(crate) size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) hash: Option<u128>,
}

impl Sent {
    pub(crate) fn of(e: &Entry) -> Sent {
        Sent {
            size: e.stamp.size,
            hash: e.hash,
        }
    }

    /// A file glyph writes for the target itself (`.nojekyll`, `CNAME`).
    pub(crate) fn bytes(b: &[u8]) -> Sent {
        Sent {
            size: b.len() as u64,
            hash: Some(content_hash(b)),
        }
    }
}

/// A sign as the site shows it, from `signs.json`: a hash of its record and its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SignSeen {
    pub(crate) hash: u64,
    pub(crate) title: String,
}

/// The difference between the build and the target.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// New and changed files, in the order they are sent (see `Pass`).
    pub(crate) send: Vec<String>,
    /// How many of `send` the target does not have at all.
    pub(crate) new: usize,
    /// Files the target has and the build no longer makes.
    pub(crate) delete: Vec<String>,
    /// The size of `send`.
    pub(crate) bytes: u64,
}

impl Plan {
    pub(crate) fn is_empty(&self) -> bool {
        self.send.is_empty() && self.delete.is_empty()
    }
}

/// The groups files are sent in, in this order, so that at no moment does a visitor
/// meet a page whose image or stylesheet is missing, or a listing, feed or index that
/// points at a page not there yet. Deletions come after all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Pass {
    /// What pages show: images, stylesheets, scripts, icons.
    Assets,
    /// The sign pages, which the listings link to.
    SignPages,
    /// Every other page: home, styles, countries, the map, content pages.
    Pages,
    /// What points at pages from outside them: signs.json, search.json, atom.xml,
    /// sitemap.xml, robots.txt.
    Indexes,
}

impl Pass {
    pub(crate) fn of(path: &str) -> Pass {
        let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "html" if path.starts_with("signs/") => Pass::SignPages,
            "html" => Pass::Pages,
            "json" | "xml" | "txt" => Pass::Indexes,
            _ => Pass::Assets,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Pass::Assets => "images and assets",
            Pass::SignPages => "sign pages",
            Pass::Pages => "other pages",
            Pass::Indexes => "feeds and indexes",
        }
    }
}

/// What to send so that a target holding `deployed` holds `site`.
pub(crate) fn plan(site: &BTreeMap<String, Sent>, deployed: &BTreeMap<String, Sent>) -> Plan {
    let mut send: Vec<&String> = Vec::new();
    let mut new = 0;
    let mut bytes = 0;
    for (path, s) in site {
        match deployed.get(path) {
            Some(d) if d == s => {}
            had => {
                new += usize::from(had.is_none());
                bytes += s.size;
                send.push(path);
            }
        }
    }
    let delete = deployed
        .keys()
        .filter(|p| !site.contains_key(*p))
        .cloned()
        .collect();
    Plan {
        send: in_passes(send),
        new,
        delete,
        bytes,
    }
}

/// `plan` sending every file of `site` again, not only the changed ones; what it
/// deletes stays, so a file the build dropped still goes from the target.
pub(crate) fn resend_all(plan: Plan, site: &BTreeMap<String, Sent>) -> Plan {
    Plan {
        send: in_passes(site.keys().collect()),
        bytes: site.values().map(|s| s.size).sum(),
        ..plan
    }
}

/// `paths` in the order of their passes (by path within one).
fn in_passes(mut paths: Vec<&String>) -> Vec<String> {
    paths.sort_by_key(|p| Pass::of(p));
    paths.into_iter().cloned().collect()
}

/// `plan.send` cut into its passes, in order, empty ones left out.
pub(crate) fn passes(plan: &Plan) -> Vec<(Pass, &[String])> {
    let mut out: Vec<(Pass, &[String])> = Vec::new();
    let mut start = 0;
    for i in 1..=plan.send.len() {
        if i == plan.send.len() || Pass::of(&plan.send[i]) != Pass::of(&plan.send[start]) {
            out.push((Pass::of(&plan.send[start]), &plan.send[start..i]));
            start = i;
        }
    }
    out
}

/// The folders that deleting `delete` leaves empty: those holding no file of `site`,
/// deepest first.
pub(crate) fn emptied_dirs(delete: &[String], site: &BTreeMap<String, Sent>) -> Vec<String> {
    let parents = |p: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut p = p;
        while let Some((dir, _)) = p.rsplit_once('/') {
            out.push(dir.to_string());
            p = dir;
        }
        out
    };
    let kept: BTreeSet<String> = site.keys().flat_map(|p| parents(p)).collect();
    let mut gone: Vec<String> = delete
        .iter()
        .flat_map(|p| parents(p))
        .filter(|d| !kept.contains(d))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    gone.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    gone
}

/// The signs a deploy publishes, added, changes and takes down, from the sign pages
/// in the plan. A sign page can change without its sign changing (a caption, or a
/// link to a neighbour that did change): those are `other_pages`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct SignChanges {
    /// (slug, title) of each.
    pub(crate) added: Vec<(String, String)>,
    pub(crate) changed: Vec<(String, String)>,
    pub(crate) removed: Vec<(String, String)>,
    /// Slugs of sign pages that changed while their sign's record did not.
    pub(crate) other_pages: Vec<String>,
}

/// Which signs `plan` adds, changes and removes; `before` and `now` are the signs as
/// the target's site and the new build show them.
pub(crate) fn sign_changes(
    plan: &Plan,
    before: &BTreeMap<String, SignSeen>,
    now: &BTreeMap<String, SignSeen>,
    deployed: &BTreeMap<String, Sent>,
) -> SignChanges {
    let title = |signs: &BTreeMap<String, SignSeen>, slug: &str| {
        signs
            .get(slug)
            .map_or_else(|| slug.to_string(), |s| s.title.clone())
    };
    let mut c = SignChanges::default();
    for path in &plan.send {
        let Some(slug) = sign_slug(path) else {
            continue;
        };
        if !deployed.contains_key(path) {
            c.added.push((slug.into(), title(now, slug)));
        } else if before.get(slug).is_some_and(|b| now.get(slug) == Some(b)) {
            c.other_pages.push(slug.into());
        } else {
            c.changed.push((slug.into(), title(now, slug)));
        }
    }
    for path in &plan.delete {
        if let Some(slug) = sign_slug(path) {
            c.removed.push((slug.into(), title(before, slug)));
        }
    }
    c
}

fn sign_slug(path: &str) -> Option<&str> {
    let slug = path.strip_prefix("signs/")?.strip_suffix("/index.html")?;
    (!slug.contains('/')).then_some(slug)
}

/// One line for the plan: "3 files (1.2 MB, 1 new), 2 deleted".
pub(crate) fn summary(plan: &Plan) -> String {
    let mut s = format!(
        "{} ({}, {} new)",
        plural(plan.send.len(), "file"),
        human_bytes(plan.bytes),
        plan.new
    );
    if !plan.delete.is_empty() {
        s.push_str(&format!(", {} deleted", plan.delete.len()));
    }
    s
}

/// "2 signs added, 1 changed", or what else changed when no sign did.
pub(crate) fn headline(c: &SignChanges, plan: &Plan) -> String {
    let counts = [
        (c.added.len(), "added"),
        (c.changed.len(), "changed"),
        (c.removed.len(), "removed"),
    ];
    let mut parts = counts.iter().filter(|(n, _)| *n > 0);
    match parts.next() {
        Some((n, what)) => {
            let first = format!("{} {what}", plural(*n, "sign"));
            std::iter::once(first)
                .chain(parts.map(|(n, what)| format!("{n} {what}")))
                .collect::<Vec<_>>()
                .join(", ")
        }
        None if !c.other_pages.is_empty() => plural(c.other_pages.len(), "sign page") + " updated",
        None => format!(
            "site updated ({})",
            plural(plan.send.len() + plan.delete.len(), "file")
        ),
    }
}

/// Longest list of signs a commit message names; the rest are counted.
const NAMED: usize = 50;

/// The commit message of a git deploy: the headline, then each sign by title and slug.
pub(crate) fn commit_message(c: &SignChanges, plan: &Plan) -> String {
    let mut m = format!("Deploy: {}\n", headline(c, plan));
    for (label, signs) in [
        ("Added", &c.added),
        ("Changed", &c.changed),
        ("Removed", &c.removed),
    ] {
        if signs.is_empty() {
            continue;
        }
        m.push_str(&format!("\n{label}:\n"));
        for (slug, title) in signs.iter().take(NAMED) {
            m.push_str(&format!("- {title} ({slug})\n"));
        }
        if signs.len() > NAMED {
            m.push_str(&format!("- and {} more\n", signs.len() - NAMED));
        }
    }
    if !c.other_pages.is_empty() {
        let shown: Vec<&str> = c
            .other_pages
            .iter()
            .take(NAMED)
            .map(String::as_str)
            .collect();
        let more = c.other_pages.len().saturating_sub(NAMED);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        m.push_str(&format!(
            "\nSign pages updated with them (a caption, or a link to a changed sign): {}{more}\n",
            shown.join(", ")
        ));
    }
    m.push_str(&format!("\n{}.\n", summary(plan)));
    m
}

/// Bytes for people: "840 B", "12.4 KB", "3.1 MB" (powers of 1000).
pub(crate) fn human_bytes(n: u64) -> String {
    match n {
        0..1000 => format!("{n} B"),
        1000..1_000_000 => format!("{:.1} KB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.2} GB", n as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, u64, Option<u128>)]) -> BTreeMap<String, Sent> {
        list.iter()
            .map(|(p, size, hash)| {
                (
                    p.to_string(),
                    Sent {
                        size: *size,
                        hash: *hash,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn only_new_and_changed_files_go_assets_first_then_pages_then_indexes() {
        let deployed = files(&[
            ("index.html", 10, Some(1)),
            ("signs/a/index.html", 10, Some(2)),
            ("signs/gone/index.html", 10, Some(3)),
            ("media/a-480.0000abcd.jpg", 500, None),
            ("css/glyph.css", 40, Some(4)),
        ]);
        let site = files(&[
            ("index.html", 11, Some(9)),
            ("signs/a/index.html", 10, Some(2)),
            ("signs/b/index.html", 12, Some(5)),
            ("media/a-480.0000abcd.jpg", 500, None),
            ("media/b-480.1111abcd.jpg", 600, None),
            ("css/glyph.css", 40, Some(4)),
            ("signs.json", 30, Some(6)),
            ("atom.xml", 20, Some(7)),
        ]);
        let p = plan(&site, &deployed);
        assert_eq!(
            p.send,
            [
                "media/b-480.1111abcd.jpg",
                "signs/b/index.html",
                "index.html",
                "atom.xml",
                "signs.json"
            ]
        );
        assert_eq!(p.new, 4);
        assert_eq!(p.bytes, 600 + 12 + 11 + 20 + 30);
        assert_eq!(p.delete, ["signs/gone/index.html"]);
        let order: Vec<Pass> = passes(&p).iter().map(|(pass, _)| *pass).collect();
        assert_eq!(
            order,
            [Pass::Assets, Pass::SignPages, Pass::Pages, Pass::Indexes]
        );
        assert_eq!(emptied_dirs(&p.delete, &site), ["signs/gone"]);
        assert!(
            plan(&site, &site).is_empty(),
            "the same files: nothing to send"
        );

        let all = resend_all(p, &site);
        assert_eq!(all.send.len(), site.len());
        assert!(all
            .send
            .windows(2)
            .all(|w| Pass::of(&w[0]) <= Pass::of(&w[1])));
        assert_eq!(all.bytes, site.values().map(|s| s.size).sum::<u64>());
        assert_eq!(
            all.delete,
            ["signs/gone/index.html"],
            "sending everything still deletes what the build dropped"
        );
    }

    #[test]
    fn a_changed_sign_is_told_from_pages_that_changed_around_it() {
        let seen = |hash, title: &str| SignSeen {
            hash,
            title: title.into(),
        };
        let deployed = files(&[
            ("signs/a/index.html", 1, Some(1)),
            ("signs/b/index.html", 1, Some(2)),
            ("signs/old/index.html", 1, Some(3)),
        ]);
        let before: BTreeMap<_, _> = [
            ("a", seen(1, "A")),
            ("b", seen(2, "B")),
            ("old", seen(3, "Old")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let now: BTreeMap<_, _> = [
            ("a", seen(1, "A")),
            ("b", seen(22, "B two")),
            ("new", seen(4, "New")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let site = files(&[
            ("signs/a/index.html", 1, Some(11)),
            ("signs/b/index.html", 1, Some(12)),
            ("signs/new/index.html", 1, Some(13)),
        ]);
        let p = plan(&site, &deployed);
        let c = sign_changes(&p, &before, &now, &deployed);
        assert_eq!(c.added, [("new".to_string(), "New".to_string())]);
        assert_eq!(c.changed, [("b".to_string(), "B two".to_string())]);
        assert_eq!(c.removed, [("old".to_string(), "Old".to_string())]);
        assert_eq!(c.other_pages, ["a"]);
        assert_eq!(headline(&c, &p), "1 sign added, 1 changed, 1 removed");
        let m = commit_message(&c, &p);
        assert!(
            m.starts_with("Deploy: 1 sign added, 1 changed, 1 removed\n"),
            "{m}"
        );
        assert!(m.contains("Changed:\n- B two (b)\n"), "{m}");
        assert!(m.contains("Removed:\n- Old (old)\n"), "{m}");
        assert!(
            m.contains("with them (a caption, or a link to a changed sign): a\n"),
            "{m}"
        );
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(12_400), "12.4 KB");
        assert_eq!(human_bytes(3_100_000), "3.1 MB");
    }
}
