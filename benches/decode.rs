//! JPEG decoders for glyph's renditions, measured on the same photos (not a timed test).
//!
//!     cargo bench --bench decode                          # the pure-Rust candidates
//!     cargo bench --bench decode --features turbojpeg     # and libjpeg-turbo (needs cmake, nasm)
//!     cargo bench --bench decode -- a.jpg b.jpg           # any photos
//!
//! For each photo, each candidate runs `ROUNDS` times on one thread; the table gives the
//! CPU time of a run (the whole process's user + system time, so worker threads a
//! decoder starts are counted) and its wall time, averaged over the photos. The photos
//! are the shared camera photos of 3 megapixels and more, and the 4000×3000 ones that
//! `bench/speed.py` makes (in `target/bench-speed/`, when it has run).
//!
//! - `zune full`: zune-jpeg decoding every pixel, with the options `image` 0.25 uses
//!   (what glyph falls back to when a photo needs more than half its size).
//! - `jpeg-decoder 1/2`: jpeg-decoder's scaled IDCT at half size (glyph's `jpeg_scaled`).
//! - `… + resize`: the same, then Lanczos3 (fast_image_resize, as glyph) to the photo's
//!   largest rendition (a 1600 box) — the work before encoding.
//! - `zune full + box/2 + resize`: zune-jpeg, then a 2×2 box average (a half-scale
//!   decode's worth of pixels), then Lanczos3.
//! - `turbojpeg …`: libjpeg-turbo 3 through the `turbojpeg` crate (SIMD).
//! - `glyph pipeline`: `make_renditions` of the three default widths: decode, resize,
//!   orient, encode and write.
//!
//! The last column says whether each candidate refuses the photo cut to 60% of its bytes
//! (the bad-input corpus's `truncated.jpg`, at camera size).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Instant;

use fast_image_resize::images::Image as FrImage;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use glyph::config::ImageConfig;
use glyph::imaging::{self, Encoding};

const ROUNDS: usize = 3;

/// Pixels out of a decoder: RGB, row after row.
struct Rgb {
    w: u32,
    h: u32,
    px: Vec<u8>,
}

fn zune_full(bytes: &[u8]) -> Result<Rgb, String> {
    use zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
    // As image 0.25's JpegDecoder sets them.
    let opts = DecoderOptions::default()
        .set_strict_mode(false)
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_max_width(usize::MAX)
        .set_max_height(usize::MAX);
    let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), opts);
    let px = d.decode().map_err(|e| e.to_string())?;
    let (w, h) = d.dimensions().ok_or("no size")?;
    Ok(Rgb {
        w: w as u32,
        h: h as u32,
        px,
    })
}

fn jpeg_decoder_half(bytes: &[u8]) -> Result<Rgb, String> {
    let mut d = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    d.read_info().map_err(|e| e.to_string())?;
    let info = d.info().ok_or("no info")?;
    let (w, h) = (info.width.div_ceil(2), info.height.div_ceil(2));
    let (gw, gh) = d.scale(w, h).map_err(|e| e.to_string())?;
    let px = d.decode().map_err(|e| e.to_string())?;
    Ok(Rgb {
        w: u32::from(gw),
        h: u32::from(gh),
        px,
    })
}

#[cfg(feature = "turbojpeg")]
fn turbo(bytes: &[u8], half: bool) -> Result<Rgb, String> {
    let mut d = turbojpeg::Decompressor::new().map_err(|e| e.to_string())?;
    if half {
        d.set_scaling_factor(turbojpeg::ScalingFactor::ONE_HALF)
            .map_err(|e| e.to_string())?;
    }
    let head = d.read_header(bytes).map_err(|e| e.to_string())?;
    let head = head.scaled(d.scaling_factor());
    let mut img = turbojpeg::Image {
        pixels: vec![0u8; head.width * head.height * 3],
        width: head.width,
        pitch: head.width * 3,
        height: head.height,
        format: turbojpeg::PixelFormat::RGB,
    };
    d.decompress(bytes, img.as_deref_mut())
        .map_err(|e| e.to_string())?;
    Ok(Rgb {
        w: head.width as u32,
        h: head.height as u32,
        px: img.pixels,
    })
}

/// A 2×2 box average: half the size, as a half-scale IDCT gives.
fn box_half(img: Rgb) -> Rgb {
    let (w, h) = (img.w / 2, img.h / 2);
    let stride = img.w as usize * 3;
    let mut px = vec![0u8; w as usize * h as usize * 3];
    for (y, out) in px.chunks_exact_mut(w as usize * 3).enumerate() {
        let a = &img.px[2 * y * stride..][..stride];
        let b = &img.px[(2 * y + 1) * stride..][..stride];
        for (x, o) in out.chunks_exact_mut(3).enumerate() {
            for (c, v) in o.iter_mut().enumerate() {
                let i = 6 * x + c;
                let s = a[i] as u16 + a[i + 3] as u16 + b[i] as u16 + b[i + 3] as u16;
                *v = ((s + 2) / 4) as u8;
            }
        }
    }
    Rgb { w, h, px }
}

/// Lanczos3 to the largest rendition, as glyph resizes (stored orientation).
fn resize(img: Rgb, (w, h): (u32, u32)) -> Result<Rgb, String> {
    let src =
        FrImage::from_vec_u8(img.w, img.h, img.px, PixelType::U8x3).map_err(|e| e.to_string())?;
    let mut dst = FrImage::new(w, h, PixelType::U8x3);
    let opts = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&src, &mut dst, &opts)
        .map_err(|e| e.to_string())?;
    Ok(Rgb {
        w,
        h,
        px: dst.into_vec(),
    })
}

/// The process's CPU time so far (user + system, every thread), in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

type Candidate = (&'static str, Box<dyn Fn(&Photo) -> Result<(), String>>);

struct Photo {
    name: String,
    bytes: Vec<u8>,
    orientation: u8,
    /// The photo's largest rendition, in its stored orientation.
    largest: (u32, u32),
    plan: Vec<imaging::Rendition>,
}

fn candidates(out: &Path) -> Vec<Candidate> {
    let out = out.to_path_buf();
    let mut c: Vec<Candidate> = vec![
        (
            "zune full",
            Box::new(|p: &Photo| zune_full(&p.bytes).map(drop)),
        ),
        (
            "jpeg-decoder 1/2",
            Box::new(|p: &Photo| jpeg_decoder_half(&p.bytes).map(drop)),
        ),
        (
            "zune full + resize",
            Box::new(|p: &Photo| resize(zune_full(&p.bytes)?, p.largest).map(drop)),
        ),
        (
            "zune full + box/2 + resize",
            Box::new(|p: &Photo| resize(box_half(zune_full(&p.bytes)?), p.largest).map(drop)),
        ),
        (
            "jpeg-decoder 1/2 + resize",
            Box::new(|p: &Photo| resize(jpeg_decoder_half(&p.bytes)?, p.largest).map(drop)),
        ),
    ];
    #[cfg(feature = "turbojpeg")]
    {
        c.push((
            "turbojpeg full",
            Box::new(|p: &Photo| turbo(&p.bytes, false).map(drop)),
        ));
        c.push((
            "turbojpeg 1/2",
            Box::new(|p: &Photo| turbo(&p.bytes, true).map(drop)),
        ));
        c.push((
            "turbojpeg 1/2 + resize",
            Box::new(|p: &Photo| resize(turbo(&p.bytes, true)?, p.largest).map(drop)),
        ));
    }
    c.push((
        "glyph pipeline (3 widths)",
        Box::new(move |p: &Photo| {
            let enc = Encoding {
                format: glyph::config::ImageFormat::Jpeg,
                quality: 80,
            };
            imaging::make_renditions(&p.bytes, p.orientation, &p.plan, enc, &out)
                .map(drop)
                .map_err(|e| e.to_string())
        }),
    ));
    c
}

fn default_photos() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/testdata/photos");
    let mut photos: Vec<PathBuf> = [
        "HMD_Nokia_8.3_5G.jpg",
        "iphone_hdr_NO.jpg",
        "canon_hdr_NO.jpg",
    ]
    .iter()
    .map(|n| shared.join(n))
    .filter(|p| p.is_file())
    .collect();
    // bench/speed.py's photos: two landscapes and a stored-turned one, two portraits
    // as phones store them.
    for (set, names) in [
        (
            "photos",
            &["sign-0000.jpg", "sign-0001.jpg", "sign-0004.jpg"][..],
        ),
        ("portraits", &["sign-0000.jpg", "sign-0002.jpg"][..]),
    ] {
        for n in names {
            let p = root.join("target/bench-speed").join(set).join(n);
            if p.is_file() {
                photos.push(p);
            }
        }
    }
    photos
}

fn main() {
    let args: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let paths = if args.is_empty() {
        default_photos()
    } else {
        args
    };
    if paths.is_empty() {
        eprintln!("no photos: pass some, or put ../shared beside the repository");
        std::process::exit(2);
    }
    // One thread, as each photo gets in a build (one photo a core).
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .ok();
    let settings = ImageConfig::default();
    let photos: Vec<Photo> = paths
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).expect("readable photo");
            let facts = glyph::metadata::photo_facts(&bytes).expect("usable photo");
            let plan = imaging::plan("d", &facts, &settings);
            let r = plan.last().expect("a rendition");
            let largest = if facts.exif.orientation >= 5 {
                (r.height, r.width)
            } else {
                (r.width, r.height)
            };
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let parent = path
                .parent()
                .and_then(|p| p.file_name())
                .map(|p| p.to_string_lossy().to_string())
                .unwrap_or_default();
            let name = if parent == "portraits" || parent == "photos" {
                format!("{parent}/{name}")
            } else {
                name
            };
            eprintln!(
                "{name}: {}×{} stored, orientation {}, largest rendition {}×{}",
                facts.width, facts.height, facts.exif.orientation, r.width, r.height
            );
            Photo {
                name,
                bytes,
                orientation: facts.exif.orientation,
                largest,
                plan,
            }
        })
        .collect();
    let tmp = tempfile::tempdir().expect("temp dir");
    let cands = candidates(tmp.path());
    println!(
        "\n{} photos, {ROUNDS} rounds each, one thread; ms per photo (mean over the photos)",
        photos.len()
    );
    print!("{:<28}{:>9}{:>9}", "candidate", "CPU ms", "wall ms");
    for p in &photos {
        print!("{:>14}", short(&p.name));
    }
    println!("{:>12}", "cut to 60%");
    for (name, run) in &cands {
        let mut cpu = Vec::new();
        let mut wall = Vec::new();
        for p in &photos {
            run(p).unwrap_or_else(|e| panic!("{name} on {}: {e}", p.name)); // warm up
            let (c0, t0) = (cpu_seconds(), Instant::now());
            for _ in 0..ROUNDS {
                run(p).unwrap_or_else(|e| panic!("{name} on {}: {e}", p.name));
            }
            cpu.push((cpu_seconds() - c0) * 1000.0 / ROUNDS as f64);
            wall.push(t0.elapsed().as_secs_f64() * 1000.0 / ROUNDS as f64);
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        print!("{name:<28}{:>9.1}{:>9.1}", mean(&cpu), mean(&wall));
        for w in &wall {
            print!("{w:>14.1}");
        }
        // Strictness: every photo cut to 60% of its bytes.
        let refused = photos
            .iter()
            .filter(|p| {
                let cut = Photo {
                    name: p.name.clone(),
                    bytes: p.bytes[..p.bytes.len() * 6 / 10].to_vec(),
                    orientation: p.orientation,
                    largest: p.largest,
                    plan: p.plan.clone(),
                };
                run(&cut).is_err()
            })
            .count();
        println!("{:>12}", format!("{refused}/{} refused", photos.len()));
    }
    println!(
        "\n(per-photo columns: wall ms on one thread; load at the end: {})",
        load()
    );
}

fn short(name: &str) -> String {
    let n = name.trim_end_matches(".jpg");
    let n = n
        .replace("portraits/sign-", "portr-")
        .replace("photos/sign-", "land-");
    n.chars().take(13).collect()
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
