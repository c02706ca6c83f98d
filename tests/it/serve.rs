//! `glyph serve` as the curator uses it: the real binary on a free port, a browser's
//! requests and its live-reload event stream, and edits to the archive on disk.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::*;
use scraper::Html;

const WAIT: Duration = Duration::from_secs(30);

struct Server {
    child: Child,
    url: String,
    agent: ureq::Agent,
    /// Generations announced on the event stream.
    events: mpsc::Receiver<u64>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let (child, url) = spawn_serve(root, &[], false);
        Server::connect(child, url)
    }

    /// On a given port, so that its pages have the same addresses as another server's.
    fn start_on(root: &Path, port: u16) -> Server {
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_glyph"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = format!("http://127.0.0.1:{port}/");
        assert!(line.contains(&url), "{line}");
        Server::connect(child, url)
    }

    fn port(&self) -> u16 {
        let port = self.url.trim_end_matches('/').rsplit(':').next().unwrap();
        port.parse().unwrap()
    }

    fn connect(child: Child, url: String) -> Server {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let (tx, events) = mpsc::channel();
        let stream = agent.get(format!("{url}__glyph/events")).call().unwrap();
        let content_type = stream.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        std::thread::spawn(move || {
            let reader = BufReader::new(stream.into_body().into_reader());
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if let Some(g) = line.strip_prefix("data: ") {
                    if tx.send(g.trim().parse().unwrap()).is_err() {
                        return;
                    }
                }
            }
        });
        let server = Server {
            child,
            url,
            agent,
            events,
        };
        assert_eq!(
            server.next_event(),
            1,
            "the stream starts with the current build"
        );
        server
    }

    fn next_event(&self) -> u64 {
        self.events
            .recv_timeout(WAIT)
            .expect("a reload event after the change")
    }

    /// Make a change, then wait for the rebuild it causes to be announced.
    fn change(&self, edit: impl FnOnce()) {
        while self.events.try_recv().is_ok() {}
        edit();
        self.next_event();
        // An editor's save can come as two events; let a second rebuild settle.
        while self.events.recv_timeout(Duration::from_millis(300)).is_ok() {}
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        let mut resp = self
            .agent
            .get(format!("{}{}", self.url, path.trim_start_matches('/')))
            .call()
            .unwrap();
        let status = resp.status().as_u16();
        let ctype = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let mut body = Vec::new();
        resp.body_mut().as_reader().read_to_end(&mut body).unwrap();
        (status, ctype, String::from_utf8_lossy(&body).into_owned())
    }

    fn page(&self, path: &str) -> Html {
        let (status, _, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        Html::parse_document(&body)
    }

    fn home_titles(&self) -> Vec<String> {
        texts(&self.page("/"), "main h2 a, main h3 a")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sidecar(title: &str) -> String {
    format!("title: {title}\nalt: A sign\ncountry: CA\ncity: Mississauga\ntags: [pictogram]\n")
}

#[test]
fn edits_reload_the_browser_and_errors_are_shown_until_fixed() {
    let dir = site(
        &[
            ("Canon_40D.jpg", "canon.jpg"),
            ("Kodak_CX7530.jpg", "kodak.jpg"),
        ],
        &[
            ("photos/canon.yaml", &sidecar("First title")),
            (
                "photos/kodak.yaml",
                "title: Nakuru\nalt: Letters\ncountry: KE\ntags: [text]\n",
            ),
        ],
    );
    let root = dir.path();
    let server = Server::start(root);

    let (status, ctype, body) = server.get("/");
    assert_eq!(status, 200);
    assert_eq!(ctype, "text/html; charset=utf-8");
    assert!(
        body.contains("/__glyph/events"),
        "serve injects the reload script"
    );
    let sign = server.page("/signs/canon/");
    assert_eq!(texts(&sign, "h1"), ["First title"]);

    // A saved title shows after the reload event.
    server.change(|| write(root, "photos/canon.yaml", &sidecar("Second title")));
    assert_eq!(texts(&server.page("/signs/canon/"), "h1"), ["Second title"]);
    // Pages that list the sign follow too, not only its own.
    assert!(server.home_titles().contains(&"Second title".to_string()));
    let tag = server.page("/tags/pictogram/");
    assert!(texts(&tag, "main h2 a, main h3 a").contains(&"Second title".to_string()));

    // Broken YAML: every page is the error page, naming the file and line.
    server.change(|| write(root, "photos/canon.yaml", "title: [unclosed\nalt: x\n"));
    let (status, _, body) = server.get("/signs/canon/");
    assert_eq!(status, 500);
    let html = Html::parse_document(&body);
    let shown = texts(&html, "li code").join(" ");
    assert!(shown.contains("photos/canon.yaml:"), "{shown}");
    assert!(
        body.contains("/__glyph/events"),
        "the error page reloads itself too"
    );
    let (status, ctype, _) = server.get("/css/glyph.css");
    assert_eq!(
        (status, ctype.as_str()),
        (200, "text/css; charset=utf-8"),
        "assets still load"
    );

    // Fixed: the site is back.
    server.change(|| write(root, "photos/canon.yaml", &sidecar("Third title")));
    assert_eq!(texts(&server.page("/signs/canon/"), "h1"), ["Third title"]);

    // A new photo appears, a deleted one disappears.
    assert_eq!(server.home_titles().len(), 2);
    server.change(|| {
        write(root, "photos/new.yaml", &sidecar("Brand new"));
        std::fs::copy(fixture("Landscape_3.jpg"), root.join("photos/new.jpg")).unwrap();
    });
    let titles = server.home_titles();
    assert!(titles.contains(&"Brand new".to_string()), "{titles:?}");
    let new_page = server.page("/signs/new/");
    let img = select(&new_page, "main img")[0]
        .value()
        .attr("src")
        .unwrap()
        .to_string();
    let (status, ctype, _) = server.get(&img);
    assert_eq!((status, ctype.as_str()), (200, "image/jpeg"), "{img}");

    server.change(|| std::fs::remove_file(root.join("photos/kodak.jpg")).unwrap());
    let titles = server.home_titles();
    assert!(!titles.contains(&"Nakuru".to_string()), "{titles:?}");
    assert_eq!(titles.len(), 2);
    assert_eq!(server.get("/signs/kodak/").0, 404);

    // Nothing was written to the output folder, and the sources are as the test left them.
    assert!(!root.join("public").exists());
}

/// Every file below `dir` with its bytes, by path below it.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let key = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(key, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn after_edits_the_preview_is_what_a_fresh_session_builds() {
    let dir = site(
        &[
            ("Canon_40D.jpg", "canon.jpg"),
            ("Kodak_CX7530.jpg", "kodak.jpg"),
            ("Landscape_3.jpg", "land.jpg"),
        ],
        &[
            ("photos/canon.yaml", &sidecar("First title")),
            (
                "photos/kodak.yaml",
                "title: Nakuru\nalt: Letters\ncountry: KE\ntags: [text]\n",
            ),
            ("photos/land.yaml", &sidecar("Landscape")),
            (
                "content/about.md",
                "---\ntitle: About\nweight: 1\n---\nHello.\n",
            ),
        ],
    );
    let root = dir.path();
    let preview = root.join(".glyph-cache/preview");
    let server = Server::start(root);
    // A title, a style that moves the sign to another list, a page, a sign gone and
    // one added: each leaves pages that must be rewritten or deleted.
    server.change(|| write(root, "photos/canon.yaml", &sidecar("Second title")));
    server.change(|| {
        let moved = "title: Nakuru\nalt: Letters\ncountry: KE\ntags: [art, humour]\n";
        write(root, "photos/kodak.yaml", moved);
    });
    server.change(|| write(root, "content/about.md", "---\ntitle: About us\n---\nHi.\n"));
    server.change(|| std::fs::remove_file(root.join("photos/land.jpg")).unwrap());
    server.change(|| {
        write(root, "photos/new.yaml", &sidecar("Brand new"));
        std::fs::copy(fixture("Landscape_3.jpg"), root.join("photos/new.jpg")).unwrap();
    });
    assert_eq!(texts(&server.page("/signs/canon/"), "h1"), ["Second title"]);
    assert_eq!(server.get("/tags/text/").0, 404, "an emptied style is gone");
    assert_eq!(server.get("/signs/land/").0, 404);
    let edited = tree(&preview);
    let port = server.port();
    drop(server);

    let fresh = Server::start_on(root, port);
    let built = tree(&preview);
    let names = |t: &std::collections::BTreeMap<String, Vec<u8>>| t.keys().cloned().collect();
    let (edited_names, built_names): (Vec<String>, Vec<String>) = (names(&edited), names(&built));
    assert_eq!(edited_names, built_names, "the same files");
    for (path, bytes) in &built {
        assert!(
            edited[path] == *bytes,
            "{path} differs from a fresh build's"
        );
    }
    assert!(built.contains_key("signs/new/index.html"));
    assert!(!built.keys().any(|p| p.starts_with("tags/text/")));
    drop(fresh);
}

#[test]
fn a_change_to_any_photo_of_a_sign_reaches_its_page() {
    let dir = site(
        &[
            ("Canon_40D.jpg", "door.jpg"),
            ("Kodak_CX7530.jpg", "door-2.jpg"),
            ("testorig.jpg", "door-3.jpg"),
        ],
        &[(
            "photos/door.yaml",
            "title: Door\nalt: A door\ntags: [pictogram]\nphotos: [door-2.jpg, door-3.jpg]\n",
        )],
    );
    let root = dir.path();
    let server = Server::start(root);
    let srcs = || -> Vec<String> {
        select(&server.page("/signs/door/"), "figure.photo img")
            .iter()
            .map(|i| i.value().attr("src").unwrap().to_string())
            .collect()
    };
    let before = srcs();
    assert_eq!(before.len(), 3, "{before:?}");
    server.change(|| {
        std::fs::copy(fixture("noexif.jpg"), root.join("photos/door-3.jpg")).unwrap();
    });
    let after = srcs();
    assert_eq!(
        after[..2],
        before[..2],
        "the cover and the second photo stay"
    );
    assert_ne!(after[2], before[2], "the third photo's rendition is new");
    assert!(after[2].contains("/media/door-3-250."), "{after:?}");
    let (status, ctype, _) = server.get(&after[2]);
    assert_eq!((status, ctype.as_str()), (200, "image/jpeg"));
}

#[test]
fn serves_only_the_site_with_its_404_page() {
    let dir = site(
        &[("Canon_40D.jpg", "canon.jpg")],
        &[("photos/canon.yaml", &sidecar("A sign"))],
    );
    std::fs::write(dir.path().join("secret.txt"), "not for the web").unwrap();
    let server = Server::start(dir.path());
    let (status, ctype, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert_eq!(ctype, "text/html; charset=utf-8");
    let html = Html::parse_document(&body);
    assert!(!texts(&html, "h1").is_empty(), "the theme's 404 page");

    // A raw request, so no client normalises the path first.
    for evil in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/signs/../../secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/.%2e/.%2e/secret.txt",
        "/signs/%2e%2e/%2e%2e/secret.txt",
        "/%2fetc%2fpasswd",
        "//etc/passwd",
        "/..\\secret.txt",
        "/%00",
        "/index.html%00.txt",
        "/secret.txt%00",
        "http://evil.example/../secret.txt",
        "/site.yaml",
        "/photos/canon.jpg",
        "/.glyph-cache/manifest.bin",
    ] {
        let (status, body) = raw_get(&server.url, evil);
        assert!(status == 404 || status == 400, "{evil}: {status}");
        assert!(!body.contains("not for the web"), "{evil}");
        assert!(!body.contains("root:"), "{evil}");
    }
    let (status, ctype, _) = server.get("/signs.json");
    assert_eq!(
        (status, ctype.as_str()),
        (200, "application/json; charset=utf-8")
    );
    let (status, ctype, _) = server.get("/atom.xml");
    assert_eq!(status, 200);
    assert!(ctype.contains("xml"), "{ctype}");
    assert_eq!(
        server.get("/tags").0,
        301,
        "folders get their trailing slash"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let dir = site(&[], &[]);
    let mut server = Server::start(dir.path());
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(started.elapsed() < WAIT, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn build_output_never_has_the_reload_script() {
    let dir = site(
        &[("Canon_40D.jpg", "canon.jpg")],
        &[("photos/canon.yaml", &sidecar("A sign"))],
    );
    assert_ok(&build_site(dir.path()));
    for (path, html) in html_files(&dir.path().join("public")) {
        assert!(
            !html.html().contains("__glyph"),
            "{path} has the live-reload script"
        );
    }
}

/// GET with the path exactly as given.
fn raw_get(url: &str, path: &str) -> (u16, String) {
    use std::io::Write;
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, resp)
}

/// 200 clients at once for a few seconds, while edits make the server rebuild and swap
/// the site: every answer is complete and correct, none fails.
#[test]
fn stays_correct_under_200_concurrent_clients_during_rebuilds() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    let dir = site(
        &[
            ("Canon_40D.jpg", "canon.jpg"),
            ("Kodak_CX7530.jpg", "kodak.jpg"),
        ],
        &[
            ("photos/canon.yaml", &sidecar("Canon")),
            ("photos/kodak.yaml", &sidecar("Kodak")),
        ],
    );
    let server = Server::start(dir.path());
    let url = server.url.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, bad) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let paths = [
        "",
        "signs/canon/",
        "tags/",
        "signs.json",
        "atom.xml",
        "no/such/",
    ];
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let (url, stop, ok, bad) = (url.clone(), stop.clone(), ok.clone(), bad.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                let mut n = i;
                while !stop.load(Ordering::Relaxed) {
                    let path = paths[n % paths.len()];
                    n += 1;
                    let Ok(mut resp) = agent.get(format!("{url}{path}")).call() else {
                        bad.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    let status = resp.status().as_u16();
                    let body = resp.body_mut().read_to_string().unwrap_or_default();
                    let complete = match path {
                        "signs.json" => serde_json::from_str::<serde_json::Value>(&body).is_ok(),
                        "atom.xml" => roxmltree::Document::parse(&body).is_ok(),
                        _ => body.trim_end().ends_with("</html>"),
                    };
                    let expected = if path == "no/such/" { 404 } else { 200 };
                    if status == expected && complete {
                        ok.fetch_add(1, Ordering::Relaxed);
                    } else {
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    let mut edits = 0;
    while started.elapsed() < Duration::from_secs(6) {
        std::thread::sleep(Duration::from_millis(400));
        let title = format!("Canon {edits}");
        std::fs::write(dir.path().join("photos/canon.yaml"), sidecar(&title)).unwrap();
        edits += 1;
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let (ok, bad) = (ok.load(Ordering::Relaxed), bad.load(Ordering::Relaxed));
    eprintln!(
        "{ok} correct answers ({:.0}/s), {bad} wrong, {edits} edits",
        ok as f64 / started.elapsed().as_secs_f64()
    );
    assert_eq!(bad, 0);
    assert!(ok > 1000, "{ok} answers");
    // Then serving the latest edit, once its rebuild is done (however loaded the machine).
    let latest = [format!("Canon {}", edits - 1)];
    let waiting = Instant::now();
    loop {
        let h1 = texts(&server.page("/signs/canon/"), "h1");
        if h1 == latest || waiting.elapsed() > WAIT {
            assert_eq!(h1, latest);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn binds_loopback_by_default_and_warns_when_bound_elsewhere() {
    let dir = site(&[], &[]);
    let server = Server::start(dir.path());
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );

    let (mut child, _) = spawn_serve(dir.path(), &["--bind", "0.0.0.0"], true);
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: serving on 0.0.0.0 lets other machines"),
        "{stderr}"
    );
}
