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
        .filter(|n| n.starts_with(".public."))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
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
    assert_eq!(
        staging_leftovers(root),
        [".public.glyph-prev", ".public.glyph-prev.lock"]
    );
}

/// A build killed while it brought the previous generation up to date leaves it
/// flagged: the next build neither trusts it nor starts from nothing, and makes it the
/// exact site, dropping whatever the killed build had put there; a second build of the
/// same output waits for none and refuses while the first holds the lock.
#[test]
fn the_next_build_mends_what_a_killed_build_left() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.yaml", "title: Leftovers\n");
    many_signs(root, 3, "Sign");
    assert!(glyph(root, &["build"]).status.success());
    many_signs(root, 3, "Changed");
    assert!(glyph(root, &["build"]).status.success());

    // As a killed build leaves it: flagged, half written, with a file no site has.
    let prev = root.join(".public.glyph-prev");
    assert!(
        prev.join("index.html").is_file(),
        "the previous site is kept"
    );
    write(root, ".public.glyph-prev.dirty", "");
    write(&prev, "index.html", "half a site");
    write(&prev, "signs/ghost/index.html", "never made");
    many_signs(root, 3, "Third");
    let expected = clean_site(root);
    let out = glyph(root, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(tree_hash(&root.join("public")), expected);
    assert_eq!(
        staging_leftovers(root),
        [".public.glyph-prev", ".public.glyph-prev.lock"],
        "the flag is gone once the record is saved"
    );

    // Another build is writing this output: this one says so and changes nothing.
    let lock = std::fs::File::options()
        .write(true)
        .open(root.join(".public.glyph-prev.lock"))
        .unwrap();
    lock.lock().unwrap();
    many_signs(root, 3, "Fourth");
    let out = glyph(root, &["build"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("another glyph build"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(tree_hash(&root.join("public")), expected);
    drop(lock);
    assert!(glyph(root, &["build"]).status.success());
    assert_eq!(tree_hash(&root.join("public")), clean_site(root));

    // The curator deletes the output, or replaces it with a copy: the next build makes
    // it again rather than refuse because it is not the folder its record names.
    let builds_as_clean = || {
        let out = glyph(root, &["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert_eq!(tree_hash(&root.join("public")), clean_site(root));
    };
    std::fs::remove_dir_all(root.join("public")).unwrap();
    builds_as_clean();
    copy_tree(&root.join("public"), &root.join("copy"));
    std::fs::remove_dir_all(root.join("public")).unwrap();
    std::fs::rename(root.join("copy"), root.join("public")).unwrap();
    many_signs(root, 3, "Fifth");
    builds_as_clean();
}

/// Edits, additions and removals in any order: after each build the output is exactly
/// what a clean build of the same inputs makes, although each build writes only what
/// changed into the generation before the last.
#[test]
fn builds_that_write_only_changes_make_what_a_clean_build_makes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "site.yaml",
        "title: Steps\nbase_url: https://example.org/\n",
    );
    many_signs(root, 12, "One");
    let steps: [&dyn Fn(&Path); 6] = [
        &|r| {
            write(
                r,
                "photos/s0003.yaml",
                "title: Three edited\nalt: x\ntags: [t1]\ncountry: CA\n",
            )
        },
        &|r| std::fs::remove_file(r.join("photos/s0005.yaml")).unwrap(),
        &|r| {
            std::fs::remove_file(r.join("photos/s0007.png")).unwrap();
            std::fs::remove_file(r.join("photos/s0007.yaml")).unwrap();
        },
        &|r| many_signs(r, 14, "Two"),
        &|r| write(r, "content/about.md", "---\ntitle: About\n---\nHi.\n"),
        &|r| many_signs(r, 14, "One"),
    ];
    assert!(glyph(root, &["build"]).status.success());
    for (n, step) in steps.iter().enumerate() {
        step(root);
        let out = glyph(root, &["build"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            tree_hash(&root.join("public")),
            clean_site(root),
            "step {n}"
        );
    }
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
