//! Save-to-reload latency of `glyph serve` on a generated archive (not a timed test).
//!
//!     cargo bench --bench reload            # 1,000 signs
//!     cargo bench --bench reload -- 3000    # another size
//!     cargo bench --bench reload -- 1000 --generate DIR   # just make the archive
//!
//! Makes its own archive (deterministic noisy photos, sidecars with tags, countries and
//! locations), starts the release `glyph serve` on a free port, listens to its reload
//! events like a browser does, and times from the moment a file is saved to the moment
//! the reload event arrives, for a sidecar edit and for a new 12-megapixel photo.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use image::{ImageBuffer, Rgb};

const EDITS: usize = 25;
const NEW_PHOTOS: usize = 5;
const TAGS: &[&str] = &[
    "pictogram",
    "text-only",
    "art",
    "humour",
    "vintage",
    "neon",
    "wheelchair",
    "family",
    "gender-neutral",
    "multilingual",
    "hand-painted",
    "metal",
];
const PLACES: &[(&str, f64, f64)] = &[
    ("CA", 43.59, -79.64),
    ("DE", 52.52, 13.40),
    ("JP", 35.68, 139.69),
    ("BR", -23.55, -46.63),
    ("KE", -1.29, 36.82),
    ("NZ", -41.29, 174.78),
    ("FR", 48.86, 2.35),
    ("US", 40.71, -74.01),
];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn unit(&mut self) -> f64 {
        self.next() as f64 / (1u64 << 31) as f64
    }
}

/// A photo-like JPEG: gradients plus noise, so it does not compress to nothing.
fn photo(w: u32, h: u32, seed: u64) -> Vec<u8> {
    let mut rng = Lcg(seed);
    let (a, b) = (rng.unit() * 255.0, rng.unit() * 255.0);
    let img = ImageBuffer::from_fn(w, h, |x, y| {
        let n = (rng.next() % 48) as f64;
        let fx = x as f64 / w as f64;
        let fy = y as f64 / h as f64;
        Rgb([
            (a * fx + n).min(255.0) as u8,
            (b * fy + n).min(255.0) as u8,
            (128.0 * (fx + fy) / 2.0 + n) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img)
        .unwrap();
    out
}

fn sidecar(i: usize, title: &str, rng: &mut Lcg) -> String {
    let (country, lat, lon) = PLACES[i % PLACES.len()];
    let t1 = TAGS[rng.next() as usize % TAGS.len()];
    let t2 = TAGS[rng.next() as usize % TAGS.len()];
    format!(
        "title: {title}\nalt: A door sign, number {i}\ncountry: {country}\n\
         location: {{lat: {:.4}, lon: {:.4}}}\ndate: {}-{:02}-{:02}\ntags: [{t1}, {t2}]\n\
         caption: Sign *{i}* of the benchmark archive.\n",
        lat + rng.unit() * 0.5,
        lon + rng.unit() * 0.5,
        2005 + i % 20,
        1 + i % 12,
        1 + i % 28,
    )
}

fn make_archive(root: &Path, n: usize) {
    let mut rng = Lcg(7);
    std::fs::create_dir_all(root.join("photos")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: Bench\nbase_url: https://bench.example.org/\nper_page: 24\n",
    )
    .unwrap();
    // A handful of distinct photos, each copied many times with its bytes changed a
    // little, keeps generation fast while every sign still has its own content hash.
    let bases: Vec<Vec<u8>> = (0..8).map(|s| photo(1024, 768, s)).collect();
    for i in 0..n {
        let dir = root.join("photos").join(format!("{}", 2005 + i % 20));
        std::fs::create_dir_all(&dir).unwrap();
        let mut bytes = bases[i % bases.len()].clone();
        // After the JPEG's end marker: decoders ignore it, the hash does not.
        bytes.extend_from_slice(format!("sign {i}").as_bytes());
        std::fs::write(dir.join(format!("sign-{i:05}.jpg")), bytes).unwrap();
        let title = format!("Sign number {i}");
        std::fs::write(
            dir.join(format!("sign-{i:05}.yaml")),
            sidecar(i, &title, &mut rng),
        )
        .unwrap();
    }
}

struct Events(mpsc::Receiver<(u64, Instant)>);

impl Events {
    fn connect(host: &str) -> Events {
        let mut s = TcpStream::connect(host).unwrap();
        write!(s, "GET /__glyph/events HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(s).lines() {
                let Ok(line) = line else { return };
                if let Some(g) = line.strip_prefix("data: ") {
                    let _ = tx.send((g.trim().parse().unwrap_or(0), Instant::now()));
                }
            }
        });
        Events(rx)
    }

    fn wait(&self, timeout: Duration) -> (u64, Instant) {
        self.0.recv_timeout(timeout).expect("no reload event")
    }

    fn drain(&self) {
        while self.0.recv_timeout(Duration::from_millis(300)).is_ok() {}
    }
}

fn get(host: &str, path: &str) -> String {
    let mut s = TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn stats(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let pick = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<28} {:>5} {:>9.0} {:>9.0} {:>9.0} {:>9.0}",
        ms.len(),
        pick(0.0),
        pick(0.5),
        pick(0.9),
        pick(1.0)
    );
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    let args: Vec<String> = std::env::args().collect();
    // `-- --generate DIR`: only make the archive, to profile builds of it by hand.
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        make_archive(Path::new(&args[i + 1]), n);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let t = Instant::now();
    make_archive(root, n);
    println!("generated {n} signs in {:.1}s", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_glyph"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let host = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .expect("serve prints its address")
        .trim_end_matches('/')
        .to_string();
    println!(
        "first build (cold cache) and start: {:.1}s",
        t.elapsed().as_secs_f64()
    );
    let events = Events::connect(&host);
    let (mut generation, _) = events.wait(Duration::from_secs(600));

    let mut rng = Lcg(99);
    let mut edits = Vec::new();
    for k in 0..EDITS {
        let i = rng.next() as usize % n;
        let file = root.join(format!("photos/{}/sign-{i:05}.yaml", 2005 + i % 20));
        let title = format!("Edited title {k}");
        let text = sidecar(i, &title, &mut rng);
        let saved = Instant::now();
        std::fs::write(&file, text).unwrap();
        let (g, at) = events.wait(Duration::from_secs(60));
        assert!(g > generation);
        generation = g;
        edits.push(at.duration_since(saved).as_secs_f64() * 1000.0);
        let page = get(&host, &format!("/signs/sign-{i:05}/"));
        assert!(page.contains(&title), "the page shows the edit");
        events.drain();
    }

    let big = photo(4000, 3000, 1234);
    let mut adds = Vec::new();
    for k in 0..NEW_PHOTOS {
        let dir = root.join("photos/new");
        std::fs::create_dir_all(&dir).unwrap();
        let mut bytes = big.clone();
        bytes.extend_from_slice(format!("new {k}").as_bytes());
        // Sidecar first, then the photo renamed into place, as a sync tool would.
        std::fs::write(
            dir.join(format!("new-{k}.yaml")),
            sidecar(k, &format!("New {k}"), &mut rng),
        )
        .unwrap();
        events.wait(Duration::from_secs(60));
        std::fs::write(dir.join(format!(".new-{k}.jpg.part")), &bytes).unwrap();
        events.drain();
        let saved = Instant::now();
        std::fs::rename(
            dir.join(format!(".new-{k}.jpg.part")),
            dir.join(format!("new-{k}.jpg")),
        )
        .unwrap();
        let (g, at) = events.wait(Duration::from_secs(60));
        assert!(g > generation);
        generation = g;
        adds.push(at.duration_since(saved).as_secs_f64() * 1000.0);
        assert!(get(&host, &format!("/signs/new-{k}/")).contains(&format!("New {k}")));
        events.drain();
    }

    println!();
    println!("glyph serve, {n} signs, save → reload event (ms)");
    println!(
        "{:<28} {:>5} {:>9} {:>9} {:>9} {:>9}",
        "change", "runs", "min", "median", "p90", "max"
    );
    stats("sidecar edit", edits);
    stats("new 12 MP photo", adds);
    let _ = child.kill();
    let _ = child.wait();
}
