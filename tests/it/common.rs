//! Helpers shared by the integration tests: fixture sites in temp dirs, builds, parsed HTML.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use glyph::config::Overrides;
use glyph::pipeline::{build, BuildOptions, BuildOutcome};
use scraper::{Html, Selector};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/photos")
        .join(name)
}

/// A site in a temp dir: `photos` are (fixture file, path under photos/), `files` are
/// (path under the site root, text).
pub fn site(photos: &[(&str, &str)], files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (src, dest) in photos {
        let to = dir.path().join("photos").join(dest);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture(src), to).unwrap();
    }
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    std::fs::create_dir_all(dir.path().join("photos")).unwrap();
    // A site is a folder with a site.yaml; an empty one takes every default.
    if !dir.path().join("site.yaml").exists() {
        write(dir.path(), "site.yaml", "");
    }
    dir
}

pub fn write(root: &Path, path: &str, text: &str) {
    let to = root.join(path);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::write(to, text).unwrap();
}

pub fn build_site(root: &Path) -> BuildOutcome {
    build_with(root, Overrides::default())
}

/// Build `root` in the test's process, on a thread pool of its own. Every integration
/// test shares one process, and with it rayon's global pool, whose threads finish the
/// work already queued before they take a new build's: a corpus case that takes half a
/// second alone waited over its 60 s bound beside orientation's nine large photos. A
/// pool per build shares the cores as the separate test processes used to.
pub fn build_with(root: &Path, overrides: Overrides) -> BuildOutcome {
    let options = BuildOptions {
        root: root.to_path_buf(),
        overrides,
        ..Default::default()
    };
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("test-build-{i}"))
        .build()
        .expect("a thread pool for the build")
        .install(|| build(&options))
}

pub fn assert_ok(outcome: &BuildOutcome) {
    let errors: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(outcome.ok(), "build failed:\n{}", errors.join("\n"));
}

pub fn page(out: &Path, path: &str) -> Html {
    let file = out.join(path.trim_start_matches('/')).join("index.html");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    Html::parse_document(&text)
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

pub fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Every HTML file under `out`, by path relative to it.
pub fn html_files(out: &Path) -> BTreeMap<String, Html> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (
                rel,
                Html::parse_document(&std::fs::read_to_string(e.path()).unwrap()),
            )
        })
        .collect()
}

/// Every internal URL an HTML page points at: href, src and each srcset candidate.
pub fn internal_urls(html: &Html) -> Vec<String> {
    let mut urls = Vec::new();
    for el in select(html, "[href], [src], [srcset]") {
        for attr in ["href", "src"] {
            if let Some(v) = el.value().attr(attr) {
                urls.push(v.to_string());
            }
        }
        if let Some(set) = el.value().attr("srcset") {
            urls.extend(
                set.split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(str::to_string),
            );
        }
    }
    urls.retain(|u| u.starts_with('/') && !u.starts_with("//"));
    urls
}

/// The file a root-relative URL serves, given the site's base path.
pub fn file_for(out: &Path, base_path: &str, url: &str) -> Option<PathBuf> {
    let path = url.split(['#', '?']).next()?.strip_prefix(base_path)?;
    let file = out.join(path);
    if url.ends_with('/') || path.is_empty() {
        Some(file.join("index.html"))
    } else {
        Some(file)
    }
}

pub fn tree_hash(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                rel,
                blake3::hash(&std::fs::read(e.path()).unwrap())
                    .to_hex()
                    .to_string(),
            )
        })
        .collect()
}

/// Every file under `dir` with its bytes, to prove a command changed nothing.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The `i`-th rendition (smallest first) of a published sign, found through signs.json.
pub fn rendition(out: &Path, slug: &str, i: usize) -> image::DynamicImage {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("signs.json")).unwrap()).unwrap();
    let sign = json["signs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == slug)
        .unwrap_or_else(|| panic!("{slug} is not published"));
    let url = sign["images"][i]["url"].as_str().unwrap();
    image::open(out.join(url.trim_start_matches('/'))).unwrap()
}

/// Mean absolute difference of two same-sized pictures, per channel value.
pub fn mean_abs_diff(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    let sum: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| x.abs_diff(*y) as u64)
        .sum();
    sum as f64 / a.as_raw().len() as f64
}

/// Start `glyph serve` on a free loopback port for `root` (plus `args`), and return the
/// process and the address it printed. Its stderr is kept (piped) only when asked: a
/// pipe nobody reads would fill up and stall the server.
pub fn spawn_serve(root: &Path, args: &[&str], stderr: bool) -> (std::process::Child, String) {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_glyph"))
        .args(["serve", "--port", "0"])
        .args(args)
        .arg("--root")
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(if stderr {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (child, url)
}

/// `glyph import PATH --root ROOT EXTRA…`, run as the curator runs it (the binary).
/// `glyph ARGS --root ROOT`, without colours, run to its end.
pub fn glyph(args: &[&str], root: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_glyph"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

pub fn import(path: &Path, root: &Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_glyph"))
        .arg("import")
        .arg(path)
        .arg("--root")
        .arg(root)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A finished command's standard output, as text.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
