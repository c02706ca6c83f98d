//! `glyph deploy` against real parts: a bare git repository on disk as the Pages
//! remote, and rsync over SSH to an `sshd` this test starts on loopback with a key it
//! generates. The glyph binary builds and deploys, as a curator would run it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// rsync over SSH, to an `sshd` started on loopback.
mod rsync;

const PHOTOS: &[(&str, &str)] = &[
    ("Canon_40D.jpg", "a.jpg"),
    ("Kodak_CX7530.jpg", "b.jpg"),
    ("testorig.jpg", "c.jpg"),
    ("noexif.jpg", "d.jpg"),
    ("png_with_exif_and_gps.png", "e.png"),
];

/// Five signs in date order a…e (so c's neighbours are b and d), with no location, so
/// no sign page shows another as "nearby".
fn sidecars() -> Vec<(String, String)> {
    ["a", "b", "c", "d", "e"]
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                format!("photos/{s}.yaml"),
                format!(
                    "title: Sign {s}\nalt: A sign\ncountry: JP\ndate: 2020-0{}-01\ntags: [pictogram]\nlocation: null\n",
                    i + 1
                ),
            )
        })
        .collect()
}

fn archive(deploy: &str) -> tempfile::TempDir {
    let yaml = format!("title: Deploy test\nbase_url: https://glyphs.example.org/\n{deploy}");
    let mut files: Vec<(String, String)> = sidecars();
    files.push(("site.yaml".into(), yaml));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    site(PHOTOS, &files)
}

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn glyph(root: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_glyph"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("GIT_TERMINAL_PROMPT", "0")
        // As on a CI machine: rsync escapes names it reports that are not ASCII in a C
        // locale unless told not to.
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn build(root: &Path) {
    let r = glyph(root, &["build"]);
    assert!(r.ok, "build failed:\n{}", r.stderr);
}

fn deploy(root: &Path, args: &[&str]) -> Run {
    let mut all = vec!["deploy"];
    all.extend(args);
    let r = glyph(root, &all);
    assert!(r.ok, "deploy failed:\n{}{}", r.stdout, r.stderr);
    r
}

/// `glyph deploy ARGS`, which must succeed and end by saying `what`.
fn deploy_saying(root: &Path, args: &[&str], what: &str) -> Run {
    let r = deploy(root, args);
    assert!(r.stderr.contains(what), "not {what:?}:\n{}", r.stderr);
    r
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Someone",
            "-c",
            "user.email=someone@example.org",
        ])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("git is needed (apt-get install -y git): {e}"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The files of the output folder a host should get (glyph's own marker stays home).
fn published(public: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut t = tree(public);
    t.remove(".glyph-output");
    t
}

/// A clone of `remote`'s `branch` in `to`.
fn clone(remote: &Path, branch: &str, to: &Path) {
    let remote = remote.to_str().unwrap();
    let to = to.to_str().unwrap();
    git(Path::new("."), &["clone", "-q", "-b", branch, remote, to]);
}

/// The branch's files, as a fresh clone of the remote has them.
fn branch_tree(remote: &Path, branch: &str) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let clone_dir = dir.path().join("clone");
    clone(remote, branch, &clone_dir);
    tree(&clone_dir)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".git/"))
        .collect()
}

fn set_title(root: &Path, sign: &str, title: &str) {
    let path = root.join("photos").join(format!("{sign}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let old = format!("title: Sign {sign}\n");
    assert!(text.contains(&old));
    std::fs::write(&path, text.replace(&old, &format!("title: {title}\n"))).unwrap();
}

fn bare_remote(dir: &Path) -> PathBuf {
    let remote = dir.join("pages.git");
    std::fs::create_dir_all(&remote).unwrap();
    git(&remote, &["init", "-q", "--bare"]);
    remote
}

fn git_target(remote: &Path) -> String {
    format!(
        "deploy:\n  git:\n    remote: {}\n    branch: pages\n    cname: glyphs.example.org\n",
        remote.display()
    )
}

/// What the branch should hold for the site in `public`: its files, `.nojekyll` and
/// the `CNAME` of `git_target`.
fn branch_of(public: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut expected = published(public);
    expected.insert(".nojekyll".into(), Vec::new());
    expected.insert("CNAME".into(), b"glyphs.example.org\n".to_vec());
    expected
}

/// The files the last commit of `pages` changed.
fn last_commit_files(remote: &Path) -> BTreeSet<String> {
    let args = ["diff-tree", "--no-commit-id", "--name-only", "-r", "pages"];
    git(remote, &args).lines().map(str::to_string).collect()
}

/// `changed` are the files a new title for sign c touches: its page, its neighbours'
/// (b and d), and the listings and indexes, which all show titles.
fn shows_or_lists_c_only(changed: &BTreeSet<String>) {
    assert!(changed.contains("signs/c/index.html"));
    for path in changed {
        let neighbour = ["signs/b/", "signs/c/", "signs/d/"]
            .iter()
            .any(|s| path.starts_with(s));
        assert!(
            neighbour || !path.starts_with("signs/") && !path.starts_with("media/"),
            "{path} neither shows sign c nor lists it"
        );
    }
    for listing in [
        "index.html",
        "signs.json",
        "atom.xml",
        "tags/pictogram/index.html",
    ] {
        assert!(
            changed.contains(listing),
            "{listing} shows the title: {changed:?}"
        );
    }
}

fn commits(remote: &Path) -> usize {
    git(remote, &["rev-list", "--count", "pages"])
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn git_deploys_the_site_then_only_what_a_changed_title_touches() {
    let tmp = tempfile::tempdir().unwrap();
    let remote = bare_remote(tmp.path());
    let dir = archive(&git_target(&remote));
    let root = dir.path();
    let public = root.join("public");
    build(root);

    deploy_saying(root, &["--dry-run"], "Would send");
    assert!(
        git(&remote, &["branch", "--list"]).is_empty(),
        "a dry run pushes nothing"
    );

    deploy_saying(root, &[], "5 signs added");
    assert_eq!(branch_tree(&remote, "pages"), branch_of(&public));
    let message = git(&remote, &["log", "-1", "--format=%B", "pages"]);
    assert!(message.starts_with("Deploy: 5 signs added\n"), "{message}");
    assert!(message.contains("- Sign c (c)\n"), "{message}");

    let before = published(&public);
    set_title(root, "c", "Sign c, renamed");
    build(root);
    let after = published(&public);
    let differ: BTreeSet<String> = after
        .iter()
        .filter(|(p, bytes)| before.get(*p) != Some(*bytes))
        .map(|(p, _)| p.clone())
        .collect();
    deploy_saying(root, &[], "1 sign changed");
    let changed = last_commit_files(&remote);
    assert_eq!(
        changed, differ,
        "the commit holds exactly the files that changed"
    );
    shows_or_lists_c_only(&changed);
    let message = git(&remote, &["log", "-1", "--format=%B", "pages"]);
    assert!(message.starts_with("Deploy: 1 sign changed\n"), "{message}");
    assert!(
        message.contains("Changed:\n- Sign c, renamed (c)\n"),
        "{message}"
    );
    assert_eq!(branch_tree(&remote, "pages"), branch_of(&public));

    let count = commits(&remote);
    deploy_saying(root, &[], "Nothing to send");
    assert_eq!(commits(&remote), count, "a no-op deploy makes no commit");
}

#[test]
fn git_refuses_to_overwrite_someone_elses_push_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let remote = bare_remote(tmp.path());
    let dir = archive(&git_target(&remote));
    let root = dir.path();
    build(root);
    deploy(root, &[]);

    // Someone else deploys from another clone.
    let other = tmp.path().join("other");
    clone(&remote, "pages", &other);
    std::fs::write(other.join("theirs.html"), "theirs").unwrap();
    git(&other, &["add", "theirs.html"]);
    git(&other, &["commit", "-q", "-m", "theirs"]);
    git(&other, &["push", "-q", "origin", "pages"]);
    let theirs = git(&remote, &["rev-parse", "pages"]);

    set_title(root, "a", "Sign a, renamed");
    build(root);
    for _ in 0..2 {
        let r = glyph(root, &["deploy"]);
        assert!(!r.ok, "a rejected push fails");
        assert!(r.stderr.contains("was rejected"), "{}", r.stderr);
        assert!(r.stderr.contains("glyph deploy --force"), "{}", r.stderr);
        assert_eq!(
            git(&remote, &["rev-parse", "pages"]),
            theirs,
            "their commit stays"
        );
    }

    deploy_saying(root, &["--force"], "1 sign changed");
    let tree = branch_tree(&remote, "pages");
    assert!(
        !tree.contains_key("theirs.html"),
        "--force replaces their commit"
    );
    assert_eq!(tree, branch_of(&root.join("public")));
}

#[test]
fn a_changed_cname_reaches_the_branch_without_a_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let remote = bare_remote(tmp.path());
    let dir = archive(&git_target(&remote));
    let root = dir.path();
    build(root);
    deploy(root, &[]);
    let cname = || branch_tree(&remote, "pages").remove("CNAME");
    assert_eq!(cname().as_deref(), Some(&b"glyphs.example.org\n"[..]));

    let yaml = root.join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let moved = text.replace("cname: glyphs.example.org", "cname: signs.example.net");
    std::fs::write(&yaml, &moved).unwrap();
    let r = deploy(root, &["-v"]);
    assert!(r.stdout.contains(" CNAME\n"), "{}{}", r.stdout, r.stderr);
    assert_eq!(cname().as_deref(), Some(&b"signs.example.net\n"[..]));

    let gone = moved.replace("    cname: signs.example.net\n", "");
    assert_ne!(gone, moved);
    std::fs::write(&yaml, gone).unwrap();
    deploy(root, &[]);
    let tree = branch_tree(&remote, "pages");
    assert!(!tree.contains_key("CNAME"), "no cname: no CNAME file");
    assert!(tree.contains_key(".nojekyll"));
    deploy_saying(root, &[], "Nothing to send");
}

#[test]
fn deploy_refuses_no_build_a_failed_build_and_a_hand_edited_output() {
    let tmp = tempfile::tempdir().unwrap();
    let remote = bare_remote(tmp.path());
    let dir = archive(&git_target(&remote));
    let root = dir.path();
    let refused = |why: &str| {
        let r = glyph(root, &["deploy"]);
        assert!(!r.ok, "deploy should refuse ({why})");
        assert!(r.stderr.contains(why), "{}", r.stderr);
        assert!(
            git(&remote, &["branch", "--list"]).is_empty(),
            "nothing was pushed"
        );
        r.stderr
    };
    refused("there is no build of public to deploy");

    build(root);
    let sidecar = root.join("photos/b.yaml");
    let good = std::fs::read_to_string(&sidecar).unwrap();
    std::fs::write(&sidecar, "title: [unclosed\n").unwrap();
    let failed = glyph(root, &["build", "--deploy"]);
    assert!(
        !failed.ok && !failed.stderr.contains("Deployed"),
        "{}",
        failed.stderr
    );
    refused("the last build of public failed");

    std::fs::write(&sidecar, good).unwrap();
    build(root);
    let index = root.join("public/index.html");
    let mut page = std::fs::read_to_string(&index).unwrap();
    page.push_str("<!-- edited -->");
    std::fs::write(&index, page).unwrap();
    std::fs::write(root.join("public/extra.html"), "by hand").unwrap();
    std::fs::remove_file(root.join("public/atom.xml")).unwrap();
    let said = refused("public was changed after the last build");
    assert!(
        said.contains("`atom.xml` (deleted), `extra.html` (added), `index.html` (edited)"),
        "{said}"
    );

    // While a build holds the output (it is writing the next site), a deploy waits
    // for it rather than send a site that may be swapped under it.
    build(root);
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(root.join(".public.glyph-prev.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    refused("another glyph build or deploy is using this site");
    drop(lock);

    build(root);
    assert!(
        glyph(root, &["build", "--deploy"]).ok,
        "a whole build deploys"
    );
    assert_eq!(commits(&remote), 1);
}

#[test]
fn credentials_in_a_remote_never_reach_messages_or_the_cache() {
    let secret = "s3cr3t-t0ken";
    // Port 9 on loopback: nothing listens, so the push fails at once.
    let dir = archive(&format!(
        "deploy: {{ git: {{ remote: 'https://glyph-bot:{secret}@127.0.0.1:9/site.git' }} }}\n"
    ));
    let root = dir.path();
    build(root);
    for args in [
        &["deploy"][..],
        &["deploy", "--dry-run"],
        &["deploy", "--force"],
    ] {
        let r = glyph(root, args);
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(!all.contains(secret), "{args:?} showed the token:\n{all}");
        assert!(all.contains("https://***@127.0.0.1:9/site.git"), "{all}");
        assert!(all.contains("holds a user name or token"), "{all}");
    }
    assert!(!glyph(root, &["deploy"]).ok, "nothing listens there");

    // A remote that takes the push: git's fetch and push leave no token in the clone.
    let tmp = tempfile::tempdir().unwrap();
    let remote = bare_remote(tmp.path());
    let url = format!("file://glyph-bot:{secret}@localhost{}", remote.display());
    write(
        root,
        "site.yaml",
        &format!("title: Deploy test\ndeploy: {{ git: {{ remote: '{url}' }} }}\n"),
    );
    build(root);
    for _ in 0..2 {
        let r = deploy(root, &[]);
        assert!(!r.stderr.contains(secret), "{}", r.stderr);
        assert!(r.stderr.contains("file://***@localhost/"), "{}", r.stderr);
    }
    set_title(root, "a", "Sign a, renamed");
    build(root);
    std::fs::remove_dir_all(root.join(".glyph-cache/deploy")).unwrap();
    // No record of the last deploy: the branch is fetched again and built on.
    deploy(root, &[]);
    assert_eq!(commits(&remote), 2);
    for (path, bytes) in tree(&root.join(".glyph-cache"))
        .into_iter()
        .chain(tree(&root.join("public")))
    {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(secret), "{path} holds the token");
    }
}
