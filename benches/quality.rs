//! Bytes against visual quality of the derived images, to choose the default format and
//! quality by measurement (not a timed test).
//!
//!     cargo bench --bench quality                  # the shared camera photos
//!     cargo bench --bench quality -- a.jpg b.jpg   # any photos
//!
//! Each photo goes through glyph's own pipeline (DCT-scaled decoding, successive
//! resizing, orientation, encoding) with the default widths (480, 960, 1600), for each
//! format and quality below, as a build makes it: one decode, every rendition from it.
//! Each rendition is compared with a reference: the photo decoded at full size, turned
//! upright and scaled with Lanczos3 to the same size, never compressed. The tables give
//! the 480 and 960 px renditions (photos narrower than a width have none at it) and
//! the largest one, the full-size view (a landscape's 1600 px; a portrait's fits the
//! 1600×1600 box), listed photo by photo at the default quality. DSSIM (dssim-core,
//! the measure behind the `dssim` tool; 0 means identical) sums up the difference;
//! below about 0.001 it is hard to see side by side on a phone, above 0.003 artefacts
//! show on close look.

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

/// The photo decoded whole and turned upright, and its references by size.
struct Reference {
    upright: image::DynamicImage,
    sized: std::collections::HashMap<(u32, u32), RgbImage>,
}

impl Reference {
    fn new(bytes: &[u8], orientation: u8) -> Reference {
        let mut upright = image::load_from_memory(bytes).expect("the photo decodes");
        if let Some(o) = image::metadata::Orientation::from_exif(orientation) {
            upright.apply_orientation(o);
        }
        Reference {
            upright,
            sized: Default::default(),
        }
    }

    /// Scaled to `w`×`h` without compression.
    fn at(&mut self, w: u32, h: u32) -> &RgbImage {
        let upright = &self.upright;
        self.sized
            .entry((w, h))
            .or_insert_with(|| upright.resize_exact(w, h, FilterType::Lanczos3).to_rgb8())
    }
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
    let mut largest = vec![Sum::default(); SETTINGS.len()];
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
        let mut reference = Reference::new(&bytes, o);
        for (si, &(format, quality)) in SETTINGS.iter().enumerate() {
            let settings = ImageConfig {
                format,
                quality,
                ..ImageConfig::default()
            };
            let plan = imaging::plan("q", &facts, &settings);
            imaging::make_renditions(&bytes, o, &plan, Encoding { format, quality }, tmp.path())
                .expect("renditions");
            for (ri, r) in plan.iter().enumerate() {
                let made = std::fs::read(tmp.path().join(&r.file_name)).unwrap();
                let got = image::load_from_memory(&made).unwrap().to_rgb8();
                let d = dssim(reference.at(got.width(), got.height()), &got);
                let kb = made.len() as f64 / 1024.0;
                if let Some(wi) = WIDTHS.iter().position(|w| *w == r.width) {
                    sums[wi][si].bytes.push(kb);
                    sums[wi][si].dssim.push(d);
                }
                if ri == plan.len() - 1 {
                    largest[si].bytes.push(kb);
                    largest[si].dssim.push(d);
                    if (format, quality) == (ImageFormat::Jpeg, ImageConfig::default().quality) {
                        rows.push((name.clone(), (dw, dh), got.dimensions(), kb, d));
                    }
                }
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
    println!("\nthe largest rendition (the full-size view)");
    println!(
        "{:<8}{:>8}{:>10}{:>10}{:>12}{:>12}",
        "format", "quality", "mean KB", "max KB", "mean DSSIM", "max DSSIM"
    );
    for (si, (format, quality)) in SETTINGS.iter().enumerate() {
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
