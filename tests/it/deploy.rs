//! `glyph deploy` against real parts: a bare git repository on disk as the Pages
//! remote, and rsync over SSH to an `sshd` this test starts on loopback with a key it
//! generates. The glyph binary builds and deploys, as a curator would run it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use crate::common::*;

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

/// The branch's files, as a fresh clone of the remote has them.
fn branch_tree(remote: &Path, branch: &str) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("clone");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "-b",
            branch,
            remote.to_str().unwrap(),
            "clone",
        ],
    );
    tree(&clone)
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

    let dry = deploy(root, &["--dry-run"]);
    assert!(dry.stderr.contains("Would send"), "{}", dry.stderr);
    assert!(
        git(&remote, &["branch", "--list"]).is_empty(),
        "a dry run pushes nothing"
    );

    let first = deploy(root, &[]);
    assert!(first.stderr.contains("5 signs added"), "{}", first.stderr);
    let mut expected = published(&public);
    expected.insert(".nojekyll".into(), Vec::new());
    expected.insert("CNAME".into(), b"glyphs.example.org\n".to_vec());
    assert_eq!(branch_tree(&remote, "pages"), expected);
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
    let second = deploy(root, &[]);
    assert!(
        second.stderr.contains("1 sign changed"),
        "{}",
        second.stderr
    );
    let changed: BTreeSet<String> = git(
        &remote,
        &["diff-tree", "--no-commit-id", "--name-only", "-r", "pages"],
    )
    .lines()
    .map(str::to_string)
    .collect();
    assert_eq!(
        changed, differ,
        "the commit holds exactly the files that changed"
    );
    assert!(changed.contains("signs/c/index.html"));
    for path in &changed {
        assert!(
            ["signs/b/", "signs/c/", "signs/d/"]
                .iter()
                .any(|s| path.starts_with(s))
                || !path.starts_with("signs/") && !path.starts_with("media/"),
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
    let message = git(&remote, &["log", "-1", "--format=%B", "pages"]);
    assert!(message.starts_with("Deploy: 1 sign changed\n"), "{message}");
    assert!(
        message.contains("Changed:\n- Sign c, renamed (c)\n"),
        "{message}"
    );
    let mut expected = after.clone();
    expected.insert(".nojekyll".into(), Vec::new());
    expected.insert("CNAME".into(), b"glyphs.example.org\n".to_vec());
    assert_eq!(branch_tree(&remote, "pages"), expected);

    let count = commits(&remote);
    let again = deploy(root, &[]);
    assert!(again.stderr.contains("Nothing to send"), "{}", again.stderr);
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
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "-b",
            "pages",
            remote.to_str().unwrap(),
            "other",
        ],
    );
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

    let forced = deploy(root, &["--force"]);
    assert!(
        forced.stderr.contains("1 sign changed"),
        "{}",
        forced.stderr
    );
    let tree = branch_tree(&remote, "pages");
    assert!(
        !tree.contains_key("theirs.html"),
        "--force replaces their commit"
    );
    let mut expected = published(&root.join("public"));
    expected.insert(".nojekyll".into(), Vec::new());
    expected.insert("CNAME".into(), b"glyphs.example.org\n".to_vec());
    assert_eq!(tree, expected);
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
    assert!(!glyph(root, &["build"]).ok);
    refused("the last build of public failed");

    std::fs::write(&sidecar, good).unwrap();
    build(root);
    let index = root.join("public/index.html");
    let mut page = std::fs::read_to_string(&index).unwrap();
    page.push_str("<!-- edited -->");
    std::fs::write(&index, page).unwrap();
    std::fs::write(root.join("public/extra.html"), "by hand").unwrap();
    let said = refused("public was changed after the last build");
    assert!(said.contains("`extra.html`, `index.html`"), "{said}");

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
    for (path, bytes) in tree(&root.join(".glyph-cache"))
        .into_iter()
        .chain(tree(&root.join("public")))
    {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(secret), "{path} holds the token");
    }
}

/// An `sshd` on a free loopback port that lets in one generated key; stopped on drop.
struct Sshd {
    child: Child,
    port: u16,
    key: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const INSTALL: &str = "apt-get install -y openssh-server rsync";

fn tool(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into()])
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    found.unwrap_or_else(|| panic!("`{name}` is missing; install it with: {INSTALL}"))
}

fn start_sshd() -> Sshd {
    let sshd = tool("sshd");
    let keygen = tool("ssh-keygen");
    tool("ssh");
    tool("rsync");
    let dir = tempfile::tempdir().unwrap();
    for key in ["host", "client"] {
        let ok = Command::new(&keygen)
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(dir.path().join(key))
            .status()
            .unwrap()
            .success();
        assert!(ok, "ssh-keygen failed");
    }
    // sshd run as root insists on its privilege separation folder, which a container
    // where openssh-server was installed but never started lacks.
    let _ = std::fs::create_dir_all("/run/sshd");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = dir.path().join("sshd_config");
    let d = dir.path().display();
    std::fs::write(
        &cfg,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host\nAuthorizedKeysFile {d}/client.pub\n\
             StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
             PermitRootLogin prohibit-password\nPidFile none\n"
        ),
    )
    .unwrap();
    let child = Command::new(&sshd)
        .arg("-f")
        .arg(&cfg)
        .args(["-D", "-e"])
        .stderr(std::fs::File::create(dir.path().join("sshd.log")).unwrap())
        .spawn()
        .unwrap();
    let server = Sshd {
        child,
        port,
        key: dir.path().join("client"),
        _dir: dir,
    };
    let ready = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    let log = std::fs::read_to_string(server._dir.path().join("sshd.log")).unwrap_or_default();
    assert!(ready, "sshd did not start:\n{log}");
    server
}

/// The order rsync reported files in: (op, path), from `glyph deploy -v`.
fn reported(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let op = w.next()?.to_string();
            let _bytes = w.next()?;
            Some((op, w.next()?.to_string()))
        })
        .collect()
}

/// 0 images and assets, 1 sign pages, 2 other pages, 3 feeds and indexes, 4 deletions.
fn rank((op, path): &(String, String)) -> u8 {
    match () {
        _ if op == "del." => 4,
        _ if path.ends_with(".html") && path.starts_with("signs/") => 1,
        _ if path.ends_with(".html") => 2,
        _ if [".json", ".xml", ".txt"].iter().any(|e| path.ends_with(e)) => 3,
        _ => 0,
    }
}

#[test]
fn rsync_over_ssh_sends_images_before_pages_deletes_last_and_mirrors_the_site() {
    let server = start_sshd();
    let host = tempfile::tempdir().unwrap();
    let www = host.path().join("www");
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap();
    let dir = archive(&format!(
        "deploy:\n  rsync:\n    dest: {}@127.0.0.1:{}/\n    port: {}\n    identity: {}\n    ssh: ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR\n",
        user.trim(),
        www.display(),
        server.port,
        server.key.display()
    ));
    let root = dir.path();
    let public = root.join("public");
    build(root);

    let first = deploy(root, &["-v"]);
    let lines = reported(&first.stdout);
    assert_eq!(lines.len(), published(&public).len(), "{}", first.stdout);
    assert!(
        lines.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{lines:?}"
    );
    assert_eq!(tree(&www), published(&public));

    // One sign new, one gone, one renamed.
    std::fs::copy(fixture("Landscape_0.jpg"), root.join("photos/f.jpg")).unwrap();
    write(
        root,
        "photos/f.yaml",
        "title: Sign f\nalt: A sign\ndate: 2021-01-01\nlocation: null\n",
    );
    std::fs::remove_file(root.join("photos/e.png")).unwrap();
    std::fs::remove_file(root.join("photos/e.yaml")).unwrap();
    set_title(root, "b", "Sign b, renamed");
    build(root);
    let second = deploy(root, &["-v"]);
    assert!(
        second.stderr.contains("1 sign added, 1 changed, 1 removed"),
        "{}",
        second.stderr
    );
    let lines = reported(&second.stdout);
    assert!(
        lines.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{lines:?}"
    );
    let at = |want: &dyn Fn(&(String, String)) -> bool| {
        lines
            .iter()
            .position(want)
            .unwrap_or_else(|| panic!("not sent: {lines:?}"))
    };
    let new_image = at(&|(op, p)| op == "send" && p.starts_with("media/f-"));
    let new_page = at(&|(_, p)| p == "signs/f/index.html");
    let home = at(&|(_, p)| p == "index.html");
    let index = at(&|(_, p)| p == "signs.json");
    let gone = at(&|(op, p)| op == "del." && p == "signs/e/index.html");
    assert!(new_image < new_page && new_page < home && home < index && index < gone);
    assert!(
        lines.iter().all(|(op, p)| op == "del."
            || p.ends_with(".html")
            || rank(&(op.clone(), p.clone())) == 3
            || p.starts_with("media/f-")),
        "only the new sign's images, and no unchanged image or stylesheet, are sent: {lines:?}"
    );
    assert_eq!(tree(&www), published(&public));
    assert!(
        !www.join("signs/e").exists(),
        "the removed sign's folder is gone"
    );

    let again = deploy(root, &["-v"]);
    assert!(again.stderr.contains("Nothing to send"), "{}", again.stderr);
    assert!(again.stdout.is_empty(), "{}", again.stdout);
}
