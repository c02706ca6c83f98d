//! Bytes against visual quality of the derived images, to choose the default format and
//! quality by measurement (not a timed test).
//!
//!     cargo bench --bench quality                  # the shared camera photos
//!     cargo bench --bench quality -- a.jpg b.jpg   # any photos
//!
//! Each photo goes through glyph's own pipeline (DCT-scaled decoding, resizing,
//! encoding) at a width of 480 and 960 pixels, for each format and quality below, and
//! as its largest rendition of the default widths (what the full-size view shows; a
//! portrait's is bounded by the box of the largest width) at the JPEG qualities of
//! `LARGEST`, listed photo by photo for the default quality. The
//! result is compared with a reference: the photo decoded at full size and scaled with
//! Lanczos3 to the same size, never compressed. DSSIM (dssim-core, the measure behind
//! the `dssim` tool; 0 means identical) sums up the difference; below about 0.001 it is
//! hard to see side by side on a phone, above 0.003 artefacts show on close look.

use std::path::{Path, PathBuf};

use glyph::config::{ImageConfig, ImageFormat};
use glyph::imaging::{self, Encoding};
use image::imageops::FilterType;
use image::RgbImage;
use rgb::FromSlice;

const SETTINGS: &[(ImageFormat, u8)] = &[
    (ImageFormat::Jpeg, 60),
    (ImageFormat::Jpeg, 70),
    (ImageFormat::Jpeg, 75),
    (ImageFormat::Jpeg, 80),
    (ImageFormat::Jpeg, 85),
    (ImageFormat::Jpeg, 90),
    (ImageFormat::Webp, 60),
    (ImageFormat::Webp, 70),
    (ImageFormat::Webp, 75),
    (ImageFormat::Webp, 80),
    (ImageFormat::Webp, 85),
];

const WIDTHS: &[u32] = &[480, 960];

/// The settings the largest rendition is measured at.
const LARGEST: &[(ImageFormat, u8)] = &[
    (ImageFormat::Jpeg, 75),
    (ImageFormat::Jpeg, 80),
    (ImageFormat::Jpeg, 85),
];

fn default_photos() -> Vec<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/photos");
    let names = [
        "HMD_Nokia_8.3_5G.jpg",
        "iphone_hdr_NO.jpg",
        "canon_hdr_NO.jpg",
        "DSCN0010.jpg",
        "DSCN0042.jpg",
        "Landscape_0.jpg",
        "Portrait_5.jpg",
        "Portrait_6.jpg",
    ];
    let mut photos: Vec<PathBuf> = names
        .iter()
        .map(|n| shared.join(n))
        .filter(|p| p.is_file())
        .collect();
    // The speed benchmark's generated photos, when it has been run.
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-speed/photos");
    if let Ok(dir) = std::fs::read_dir(generated) {
        let mut more: Vec<PathBuf> = dir
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
            .collect();
        more.sort();
        photos.extend(more.into_iter().take(3));
    }
    // Its portraits as phones store them (4000×3000 with Orientation 6).
    let portraits = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-speed/portraits");
    for n in ["sign-0000.jpg", "sign-0002.jpg"] {
        if portraits.join(n).is_file() {
            photos.push(portraits.join(n));
        }
    }
    photos
}

/// Make `plan`'s last rendition of `bytes` with `enc` and compare it with the
/// reference: its bytes (KB), its DSSIM and its size.
fn measure(
    bytes: &[u8],
    orientation: u8,
    plan: &[imaging::Rendition],
    enc: Encoding,
    dir: &Path,
) -> (f64, f64, (u32, u32)) {
    let r = plan.last().expect("a rendition");
    imaging::make_renditions(bytes, orientation, std::slice::from_ref(r), enc, dir)
        .expect("renditions");
    let made = std::fs::read(dir.join(&r.file_name)).unwrap();
    let got = image::load_from_memory(&made).unwrap().to_rgb8();
    let want = reference(bytes, orientation, got.width(), got.height());
    (
        made.len() as f64 / 1024.0,
        dssim(&want, &got),
        got.dimensions(),
    )
}

/// The photo decoded whole, turned upright, and scaled to `w`×`h` without compression.
fn reference(bytes: &[u8], orientation: u8, w: u32, h: u32) -> RgbImage {
    let mut img = image::load_from_memory(bytes).expect("the photo decodes");
    if let Some(o) = image::metadata::Orientation::from_exif(orientation) {
        img.apply_orientation(o);
    }
    img.resize_exact(w, h, FilterType::Lanczos3).to_rgb8()
}

fn dssim(a: &RgbImage, b: &RgbImage) -> f64 {
    let d = dssim_core::Dssim::new();
    let (w, h) = (a.width() as usize, a.height() as usize);
    let ia = d
        .create_image_rgb(a.as_raw().as_rgb(), w, h)
        .expect("image");
    let ib = d
        .create_image_rgb(b.as_raw().as_rgb(), w, h)
        .expect("image");
    f64::from(d.compare(&ia, ib).0)
}

#[derive(Default, Clone)]
struct Sum {
    bytes: Vec<f64>,
    dssim: Vec<f64>,
}

fn main() {
    let args: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let photos = if args.is_empty() {
        default_photos()
    } else {
        args
    };
    if photos.is_empty() {
        eprintln!("no photos: pass some, or put ../shared beside the repository");
        std::process::exit(2);
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut sums = vec![vec![Sum::default(); SETTINGS.len()]; WIDTHS.len()];
    let mut largest = vec![Sum::default(); LARGEST.len()];
    let mut rows = Vec::new();
    for path in &photos {
        let bytes = std::fs::read(path).expect("readable photo");
        let facts = glyph::metadata::photo_facts(&bytes).expect("usable photo");
        let mut name = path.file_name().unwrap().to_string_lossy().to_string();
        if let Some(set) = path.parent().and_then(|p| p.file_name()) {
            if path.starts_with(Path::new(env!("CARGO_MANIFEST_DIR")).join("target")) {
                name = format!("{}/{name}", set.to_string_lossy());
            }
        }
        let (dw, dh) = facts.display_size();
        eprintln!("{name}: {}×{}, shown {dw}×{dh}", facts.width, facts.height);
        let o = facts.exif.orientation;
        for (wi, &width) in WIDTHS.iter().enumerate() {
            for (si, &(format, quality)) in SETTINGS.iter().enumerate() {
                let settings = ImageConfig {
                    widths: vec![width],
                    format,
                    quality,
                };
                let plan = imaging::plan("q", &facts, &settings);
                if plan.first().is_none_or(|r| r.width != width) {
                    continue; // smaller than this width
                }
                let (kb, d, _) = measure(
                    &bytes,
                    o,
                    &plan[..1],
                    Encoding { format, quality },
                    tmp.path(),
                );
                let s = &mut sums[wi][si];
                s.bytes.push(kb);
                s.dssim.push(d);
            }
        }
        for (si, &(format, quality)) in LARGEST.iter().enumerate() {
            let settings = ImageConfig {
                format,
                quality,
                ..ImageConfig::default()
            };
            let plan = imaging::plan("q", &facts, &settings);
            let (kb, d, size) = measure(&bytes, o, &plan, Encoding { format, quality }, tmp.path());
            largest[si].bytes.push(kb);
            largest[si].dssim.push(d);
            if quality == ImageConfig::default().quality {
                rows.push((name.clone(), (dw, dh), size, kb, d));
            }
        }
    }
    println!(
        "\n{} photos; DSSIM against an uncompressed Lanczos3 reference",
        photos.len()
    );
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let max = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    for (wi, width) in WIDTHS.iter().enumerate() {
        println!("\nwidth {width}");
        println!(
            "{:<8}{:>8}{:>10}{:>10}{:>12}{:>12}",
            "format", "quality", "mean KB", "max KB", "mean DSSIM", "max DSSIM"
        );
        for (si, (format, quality)) in SETTINGS.iter().enumerate() {
            let s = &sums[wi][si];
            if s.bytes.is_empty() {
                continue;
            }
            println!(
                "{:<8}{:>8}{:>10.1}{:>10.1}{:>12.5}{:>12.5}",
                format.extension(),
                quality,
                mean(&s.bytes),
                max(&s.bytes),
                mean(&s.dssim),
                max(&s.dssim)
            );
        }
    }
    println!("\nlargest rendition of the default widths");
    println!(
        "{:<8}{:>8}{:>10}{:>10}{:>12}{:>12}",
        "format", "quality", "mean KB", "max KB", "mean DSSIM", "max DSSIM"
    );
    for (si, (format, quality)) in LARGEST.iter().enumerate() {
        let s = &largest[si];
        println!(
            "{:<8}{:>8}{:>10.1}{:>10.1}{:>12.5}{:>12.5}",
            format.extension(),
            quality,
            mean(&s.bytes),
            max(&s.bytes),
            mean(&s.dssim),
            max(&s.dssim)
        );
    }
    println!(
        "\n{:<24}{:>11}{:>11}{:>9}{:>9}",
        "photo (jpeg 80)", "shown", "largest", "KB", "DSSIM"
    );
    for (name, (dw, dh), (w, h), kb, d) in rows {
        println!(
            "{name:<24}{:>11}{:>11}{kb:>9.1}{d:>9.5}",
            format!("{dw}×{dh}"),
            format!("{w}×{h}")
        );
    }
}
