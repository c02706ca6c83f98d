//! `glyph deploy` with rsync over SSH, to an `sshd` this test starts on loopback with a
//! key it generates: the host's folder must equal `public/` after each deploy, and the
//! files must go in the promised order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use super::{archive, build, deploy, deploy_saying, published, set_title};
use crate::common::*;

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
            let (op, rest) = l.split_once(' ')?;
            let (_bytes, path) = rest.trim_start().split_once(' ')?;
            Some((op.to_string(), path.to_string()))
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

/// An archive deploying with rsync over SSH to `www` through `server`.
struct RsyncSite {
    _server: Sshd,
    www: PathBuf,
    _host: tempfile::TempDir,
    dir: tempfile::TempDir,
}

fn rsync_site() -> RsyncSite {
    let server = start_sshd();
    let host = tempfile::tempdir().unwrap();
    // A folder on the host, and a file of the site, whose names need care.
    let www = host.path().join("www glyphs/Zürich");
    // rsync makes the last folder of `dest`, as mkdir does, not the ones above it.
    std::fs::create_dir(www.parent().unwrap()).unwrap();
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap();
    let dir = archive(&format!(
        "deploy:\n  rsync:\n    dest: {}@127.0.0.1:{}/\n    port: {}\n    identity: {}\n    ssh: ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR\n",
        user.trim(),
        www.display(),
        server.port,
        server.key.display()
    ));
    write(dir.path(), "static/plan de l'étage.svg", "<svg/>");
    RsyncSite {
        _server: server,
        www,
        _host: host,
        dir,
    }
}

/// Files went images and assets first, then sign pages, other pages, indexes and
/// deletions.
fn in_promised_order(lines: &[(String, String)]) {
    assert!(
        lines.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{lines:?}"
    );
}

#[test]
fn rsync_over_ssh_sends_images_before_pages_deletes_last_and_mirrors_the_site() {
    let t = rsync_site();
    let (root, www) = (t.dir.path(), &t.www);
    let public = root.join("public");
    build(root);

    let first = deploy(root, &["-v"]);
    let lines = reported(&first.stdout);
    let sent: BTreeSet<&str> = lines.iter().map(|(_, p)| p.as_str()).collect();
    let site = published(&public);
    assert_eq!(
        sent,
        site.keys().map(String::as_str).collect(),
        "{}",
        first.stdout
    );
    assert_eq!(lines.len(), site.len(), "{}", first.stdout);
    in_promised_order(&lines);
    assert_eq!(tree(www), published(&public));

    // One sign new, one gone, one renamed.
    std::fs::copy(fixture("Landscape_0.jpg"), root.join("photos/f.jpg")).unwrap();
    write(
        root,
        "photos/f.yaml",
        "title: Sign f\nalt: A sign\ndate: 2021-01-01\nlocation: null\n",
    );
    remove_sign(root, "e.png");
    set_title(root, "b", "Sign b, renamed");
    build(root);
    let second = deploy_saying(root, &["-v"], "1 sign added, 1 changed, 1 removed");
    let lines = reported(&second.stdout);
    in_promised_order(&lines);
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
    assert_eq!(tree(www), published(&public));
    assert!(
        !www.join("signs/e").exists(),
        "the removed sign's folder is gone"
    );

    let again = deploy_saying(root, &["-v"], "Nothing to send");
    assert!(again.stdout.is_empty(), "{}", again.stdout);
}

/// Take the sign of `photo` out of the archive.
fn remove_sign(root: &Path, photo: &str) {
    let photo = root.join("photos").join(photo);
    std::fs::remove_file(photo.with_extension("yaml")).unwrap();
    std::fs::remove_file(photo).unwrap();
}

#[test]
fn rsync_force_sends_everything_and_deletes_only_what_the_site_dropped() {
    let t = rsync_site();
    let (root, www) = (t.dir.path(), &t.www);
    let public = root.join("public");
    build(root);
    deploy(root, &[]);
    std::fs::write(www.join("theirs.html"), "not the site's").unwrap();
    std::fs::create_dir_all(www.join("signs/d/notes")).unwrap();
    std::fs::write(www.join("signs/d/notes/theirs.txt"), "mine").unwrap();

    remove_sign(root, "d.jpg");
    build(root);
    let forced = deploy(root, &["-v", "--force"]);
    let lines = reported(&forced.stdout);
    let sends = lines.iter().filter(|(op, _)| op == "send").count();
    assert_eq!(sends, published(&public).len(), "{}", forced.stdout);
    in_promised_order(&lines);
    assert!(
        forced.stderr.contains("1 sign removed"),
        "{}",
        forced.stderr
    );
    let mut expected = published(&public);
    expected.insert("theirs.html".into(), b"not the site's".to_vec());
    expected.insert("signs/d/notes/theirs.txt".into(), b"mine".to_vec());
    assert_eq!(
        tree(www),
        expected,
        "the removed sign's page is gone, and nothing that was not the site's"
    );
}
