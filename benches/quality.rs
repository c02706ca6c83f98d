//! Bytes against visual quality of the derived images, to choose the default format and
//! quality by measurement (not a timed test).
//!
//!     cargo bench --bench quality                  # the shared camera photos
//!     cargo bench --bench quality -- a.jpg b.jpg   # any photos
//!
//! Each photo goes through glyph's own pipeline (DCT-scaled decoding, resizing,
//! encoding) at a width of 480 and 960 pixels, for each format and quality below. The
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
    ];
    let mut photos: Vec<PathBuf> = names
        .iter()
        .map(|n| shared.join(n))
        .filter(|p| p.is_file())
        .collect();
    // The speed benchmark's generated photos, when it has been run.
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-speed/photos");
    if let Ok(dir) = std::fs::read_dir(generated) {
        let mut more: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
        more.sort();
        photos.extend(more.into_iter().take(3));
    }
    photos
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
    for path in &photos {
        let bytes = std::fs::read(path).expect("readable photo");
        let facts = glyph::metadata::photo_facts(&bytes).expect("usable photo");
        let name = path.file_name().unwrap().to_string_lossy();
        eprintln!("{name}: {}×{}", facts.width, facts.height);
        for (wi, &width) in WIDTHS.iter().enumerate() {
            for (si, &(format, quality)) in SETTINGS.iter().enumerate() {
                let settings = ImageConfig {
                    widths: vec![width],
                    format,
                    quality,
                };
                let plan = imaging::plan("q", &facts, &settings);
                let Some(r) = plan.first().filter(|r| r.width == width) else {
                    continue; // smaller than this width
                };
                imaging::make_renditions(
                    &bytes,
                    facts.exif.orientation,
                    &plan[..1],
                    Encoding { format, quality },
                    tmp.path(),
                )
                .expect("renditions");
                let made = std::fs::read(tmp.path().join(&r.file_name)).unwrap();
                let got = image::load_from_memory(&made).unwrap().to_rgb8();
                let want = reference(&bytes, facts.exif.orientation, got.width(), got.height());
                let s = &mut sums[wi][si];
                s.bytes.push(made.len() as f64 / 1024.0);
                s.dssim.push(dssim(&want, &got));
            }
        }
    }
    println!(
        "\n{} photos; DSSIM against an uncompressed Lanczos3 reference",
        photos.len()
    );
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
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let max = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
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
}
