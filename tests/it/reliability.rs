//! Nothing is lost and nothing is half-made: a build killed at any moment leaves the
//! previous site whole, two clean builds are byte-identical, and no command changes a
//! byte of the curator's photos, sidecars or pages.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::common::*;

/// A site of `n` small, distinct PNG photos with sidecars titled `prefix N`.
fn many_signs(root: &Path, n: usize, prefix: &str) {
    for i in 0..n {
        let photo = root.join(format!("photos/s{i:04}.png"));
        if !photo.exists() {
            std::fs::create_dir_all(photo.parent().unwrap()).unwrap();
            let img = image::RgbImage::from_fn(24, 16, |x, y| {
                image::Rgb([(i * 7 % 256) as u8, (x * 10) as u8, (y * 15) as u8])
            });
            img.save(&photo).unwrap();
        }
        write(
            root,
            &format!("photos/s{i:04}.yaml"),
            &format!(
                "title: {prefix} {i}\nalt: sign {i}\ntags: [t{}]\ncountry: CA\n",
                i % 7
            ),
        );
    }
}

fn glyph(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_glyph"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

/// What a clean build of `root`'s inputs makes, built in a copy elsewhere.
fn clean_site(root: &Path) -> BTreeMap<String, String> {
    let copy = tempfile::tempdir().unwrap();
    for sub in ["photos", "content"] {
        copy_tree(&root.join(sub), &copy.path().join(sub));
    }
    if root.join("site.yaml").exists() {
        std::fs::copy(root.join("site.yaml"), copy.path().join("site.yaml")).unwrap();
    }
    let out = glyph(copy.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tree_hash(&copy.path().join("public"))
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn staging_leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("glyph-staging"))
        .collect()
}

#[test]
fn two_clean_builds_of_the_same_inputs_are_byte_identical() {
    let dir = site(
        &[
            ("Canon_40D.jpg", "2008/canon.jpg"),
            ("issue-exifr-59.jpg", "yosemite.jpg"),
            ("png_with_exif_and_gps.png", "png.png"),
        ],
        &[
            (
                "photos/2008/canon.yaml",
                "title: Canon\nalt: x\ntags: [a, b]\n",
            ),
            ("content/about.md", "---\ntitle: About\n---\nHello.\n"),
            ("site.yaml", "title: Same\nbase_url: https://example.org/\n"),
        ],
    );
    let first = clean_site(dir.path());
    let second = clean_site(dir.path());
    assert!(first.len() > 20, "a whole site: {} files", first.len());
    assert_eq!(first, second);
}

/// Kill builds with SIGKILL at moments spread over a whole build, each time switching
/// the inputs between two versions: the output is always one complete site, the old or
/// the new, never a mixture, and the next build finishes the job.
#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "site.yaml",
        "title: Kill test\nbase_url: https://example.org/\n",
    );
    many_signs(root, 150, "First");
    let v1 = clean_site(root);
    many_signs(root, 150, "Second");
    let v2 = clean_site(root);
    assert_ne!(v1, v2);
    many_signs(root, 150, "First");
    assert!(glyph(root, &["build"]).status.success());
    let out = root.join("public");
    let mut current = tree_hash(&out);
    assert_eq!(current, v1);

    // How long a build that changes every page takes, to spread the kills over it.
    many_signs(root, 150, "Second");
    let started = Instant::now();
    assert!(glyph(root, &["build"]).status.success());
    let whole = started.elapsed();
    current = tree_hash(&out);
    assert_eq!(current, v2);

    let steps = 40;
    let mut killed_mid_build = 0;
    for step in 0..steps {
        let (prefix, target) = if step % 2 == 0 {
            ("First", &v1)
        } else {
            ("Second", &v2)
        };
        many_signs(root, 150, prefix);
        let mut child = Command::new(env!("CARGO_BIN_EXE_glyph"))
            .arg("build")
            .arg("--root")
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole.mul_f64(step as f64 / steps as f64));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        killed_mid_build += usize::from(!finished);
        let now = tree_hash(&out);
        assert!(
            now == current || &now == target,
            "step {step}: the output is neither the old site nor the new one"
        );
        current = now;
    }
    eprintln!(
        "a whole build took {whole:?}; {killed_mid_build} of {steps} builds killed while running"
    );
    // Build times vary with the machine's load; a quarter is plenty to show the point
    // while never failing for a slow or fast run.
    assert!(
        killed_mid_build >= steps / 4,
        "too few builds were killed while running"
    );

    // The next build completes the job and cleans up after the killed ones.
    let done = glyph(root, &["build"]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(tree_hash(&out), v2);
    assert!(
        staging_leftovers(root).is_empty(),
        "{:?}",
        staging_leftovers(root)
    );
}

/// A killed build's staging folder is removed by the next build, even one that finds
/// nothing to change; the staging folder of a build still running (it holds the lock
/// beside its folder) is left to it.
#[test]
fn the_next_build_removes_what_killed_builds_left() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.yaml", "title: Leftovers\n");
    many_signs(root, 3, "Sign");
    assert!(glyph(root, &["build"]).status.success());

    let killed = root.join(".public.glyph-staging-4000001");
    let killed_old = root.join(".public.glyph-staging-4000001.old");
    let running = root.join(".public.glyph-staging-4000002");
    for leftover in [&killed, &killed_old, &running] {
        write(leftover, "index.html", "half a site");
    }
    // A killed build's lock file is unlocked; a running build holds its lock.
    write(root, ".public.glyph-staging-4000001.lock", "");
    let lock = std::fs::File::create(root.join(".public.glyph-staging-4000002.lock")).unwrap();
    lock.lock().unwrap();

    let out = glyph(root, &["build"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("up to date"),
        "nothing changed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!killed.exists() && !killed_old.exists());
    assert!(!root.join(".public.glyph-staging-4000001.lock").exists());
    assert!(running.exists(), "a running build's staging folder is kept");

    // Once that build is gone, the next build that writes cleans up after it too.
    drop(lock);
    many_signs(root, 3, "Changed");
    assert!(glyph(root, &["build"]).status.success());
    assert_eq!(staging_leftovers(root), Vec::<String>::new());
}

/// build, check, serve and an import that fails leave every source byte as it was.
#[test]
fn no_command_changes_the_curators_files() {
    let dir = site(
        &[("Canon_40D.jpg", "canon.jpg"), ("noexif.jpg", "plain.jpg")],
        &[
            (
                "photos/canon.yaml",
                "title: Canon\nalt: x\ncountry: CA\ntags: [a]\n",
            ),
            ("content/about.md", "---\ntitle: About\n---\nHello.\n"),
            ("site.yaml", "title: Sources\n"),
        ],
    );
    let root = dir.path();
    let sources = || {
        let mut all = tree(&root.join("photos"));
        all.extend(
            tree(&root.join("content"))
                .into_iter()
                .map(|(k, v)| (format!("content/{k}"), v)),
        );
        all.insert(
            "site.yaml".into(),
            std::fs::read(root.join("site.yaml")).unwrap(),
        );
        all
    };
    let before = sources();
    // Nothing touches the photos' inodes either (links, permissions): the photo cache
    // keys on their change time, so that would make every build read them again.
    let inodes = || {
        use std::os::unix::fs::MetadataExt;
        ["canon.jpg", "plain.jpg"].map(|p| {
            let m = std::fs::metadata(root.join("photos").join(p)).unwrap();
            (m.ino(), m.nlink(), m.mode(), m.ctime(), m.ctime_nsec())
        })
    };
    let inodes_before = inodes();

    assert!(glyph(root, &["build"]).status.success());
    assert!(glyph(root, &["check"]).status.code().is_some());

    // serve: start, fetch a page, stop.
    let (mut child, url) = spawn_serve(root, &[], false);
    let resp = ureq::get(&url).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let _ = child.kill();
    let _ = child.wait();

    // An import that fails: a broken photo and a duplicate of one in the archive.
    let incoming = tempfile::tempdir().unwrap();
    std::fs::write(
        incoming.path().join("broken.jpg"),
        b"\xff\xd8\xff not really",
    )
    .unwrap();
    std::fs::copy(fixture("Canon_40D.jpg"), incoming.path().join("again.jpg")).unwrap();
    let incoming_before = tree(incoming.path());
    let import = Command::new(env!("CARGO_BIN_EXE_glyph"))
        .arg("import")
        .arg(incoming.path())
        .arg("--move")
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        import.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    assert_eq!(
        tree(incoming.path()),
        incoming_before,
        "--move kept what it did not import"
    );

    assert_eq!(sources(), before, "every source byte as it was");
    assert_eq!(inodes(), inodes_before, "the photos' inodes as they were");
}
