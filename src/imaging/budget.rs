//! A memory budget shared by the photos being decoded at once. Each photo is bounded
//! on its own (`MAX_DECODE_BYTES`), but a machine with many cores decoding many large
//! panoramas together could still run out; a photo waits for room before it decodes.
//!
//! Waiting is only safe outside rayon's pool. A rayon worker that holds a lease and
//! calls into rayon (the `image` crate may) can, while it waits for its own tasks,
//! steal another photo's job, which then waits for room that the first lease, below it
//! on the same stack, will never give back: a deadlock. So `run_each` runs the photos
//! on plain threads of its own, and `take` refuses to wait on a rayon worker.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

/// Bytes the photos being decoded at once may take together.
pub const DECODE_BUDGET: u64 = 1536 * 1024 * 1024;

pub struct Budget {
    limit: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// Room taken from a `Budget`, given back when dropped.
pub struct Lease<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    pub fn new(limit: u64) -> Budget {
        Budget {
            limit,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Wait until `bytes` fit. A request larger than the whole budget runs alone, so
    /// it is never refused here (the decoder's own limit refuses what is too large).
    ///
    /// Panics on a rayon worker thread, where waiting could deadlock (see the module
    /// comment): call it from the jobs of `run_each`.
    pub fn take(&self, bytes: u64) -> Lease<'_> {
        assert!(
            rayon::current_thread_index().is_none(),
            "a decode budget lease must not be awaited on a rayon worker"
        );
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && *used + bytes > self.limit {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += bytes;
        Lease {
            budget: self,
            bytes,
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used -= self.bytes;
        self.budget.freed.notify_all();
    }
}

/// Run `job(i)` for every `i` in `0..n` on as many plain threads as rayon would use,
/// and return the results in order. The jobs may wait on a `Budget` and may use rayon
/// inside: no rayon worker ever waits for a lease, so neither can deadlock the other.
pub fn run_each<R: Send>(n: usize, job: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let threads = rayon::current_num_threads().clamp(1, n.max(1));
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            return mine;
                        }
                        mine.push((i, job(i)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// What decoding a `width`×`height` photo may need at most: its RGBA pixels, plus the
/// same again for resizing and the renditions, plus a progressive JPEG's coefficients,
/// or a HEIC's decoding planes.
pub fn decode_cost(bytes: &[u8], width: u32, height: u32) -> u64 {
    let pixels = width as u64 * height as u64;
    if crate::metadata::heif::is_heif(bytes) {
        return pixels * (HEIC_BYTES_PER_PIXEL + 4);
    }
    pixels * 4 * 2 + progressive_coefficient_bytes(bytes)
}

/// What a HEIC's decoder holds a pixel at its peak: the HEVC planes (16-bit luma and
/// chroma), the RGB(A) picture they become and the colour-converted copy. Measured 6.2
/// (`GLYPH_TIMINGS=1`: 76 MB above the rest of the build for the 12-MP
/// `IMG_5195.HEIC`); libheif peaked at 6.3 (1.26 GB for 200 MP).
pub const HEIC_BYTES_PER_PIXEL: u64 = 7;

/// A progressive JPEG is refined scan by scan, so its decoder keeps every DCT
/// coefficient of the whole picture until the last scan (2 bytes a sample, padded to
/// whole MCUs): 3 bytes a pixel for 4:2:0, 6 for 4:4:4, whatever the output size.
/// 0 for anything else.
pub fn progressive_coefficient_bytes(bytes: &[u8]) -> u64 {
    match jpeg_frame(bytes) {
        Some(f) if f.progressive => f.coefficient_bytes(),
        _ => 0,
    }
}

/// What a JPEG's frame header (SOFn) says.
#[derive(Debug, PartialEq)]
struct Frame {
    progressive: bool,
    width: u32,
    height: u32,
    /// Each component's horizontal and vertical sampling factors.
    sampling: Vec<(u8, u8)>,
}

impl Frame {
    fn coefficient_bytes(&self) -> u64 {
        let hmax = self.sampling.iter().map(|s| s.0).max().unwrap_or(1).max(1) as u64;
        let vmax = self.sampling.iter().map(|s| s.1).max().unwrap_or(1).max(1) as u64;
        let mcus_x = (self.width as u64).div_ceil(8 * hmax);
        let mcus_y = (self.height as u64).div_ceil(8 * vmax);
        self.sampling
            .iter()
            .map(|&(h, v)| mcus_x * h as u64 * mcus_y * v as u64 * 64 * 2)
            .sum()
    }
}

/// Walk a JPEG's markers up to its frame header. `None` when it is not a JPEG or the
/// header cannot be found before the image data.
fn jpeg_frame(b: &[u8]) -> Option<Frame> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        while *b.get(i)? == 0xFF && *b.get(i + 1)? == 0xFF {
            i += 1;
        }
        if *b.get(i)? != 0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        i += 2;
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            continue; // no length
        }
        let len = u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]) as usize;
        let body = b.get(i + 2..i + len)?;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let height = u16::from_be_bytes([*body.get(1)?, *body.get(2)?]) as u32;
                let width = u16::from_be_bytes([*body.get(3)?, *body.get(4)?]) as u32;
                let n = *body.get(5)? as usize;
                let sampling = (0..n)
                    .map(|c| {
                        let hv = *body.get(6 + c * 3 + 1)?;
                        Some((hv >> 4, hv & 0x0F))
                    })
                    .collect::<Option<Vec<_>>>()?;
                return Some(Frame {
                    progressive: matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE),
                    width,
                    height,
                    sampling,
                });
            }
            0xDA | 0xD9 => return None,
            _ => i += len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u16, h: u16, progressive: bool, sampling: jpeg_encoder::SamplingFactor) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = jpeg_encoder::Encoder::new(&mut out, 80);
        e.set_progressive(progressive);
        e.set_sampling_factor(sampling);
        let px = vec![128u8; w as usize * h as usize * 3];
        e.encode(&px, w, h, jpeg_encoder::ColorType::Rgb).unwrap();
        out
    }

    #[test]
    fn a_heic_costs_its_decoding_planes_too() {
        let heic = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/photos/IMG_5195.HEIC"),
        )
        .unwrap();
        let (w, h) = (16_320u32, 12_240u32); // 200 MP
        assert_eq!(decode_cost(&heic, w, h), w as u64 * h as u64 * 11);
        // At 150 MP the picture alone (4 bytes a pixel) fits the bound, which the old
        // check let through; with the decoder's planes it does not. 100 MP still does.
        let max = super::super::limits::MAX_DECODE_BYTES;
        assert!(150_000_000 * 4 <= max);
        assert!(150_000_000 * HEIC_BYTES_PER_PIXEL > max);
        assert!(100_000_000 * HEIC_BYTES_PER_PIXEL <= max);
    }

    #[test]
    fn progressive_jpegs_cost_their_coefficients() {
        use jpeg_encoder::SamplingFactor::{F_1_1, F_2_2};
        let baseline = jpeg(100, 60, false, F_2_2);
        assert_eq!(progressive_coefficient_bytes(&baseline), 0);
        assert_eq!(
            jpeg_frame(&baseline).map(|f| (f.width, f.height, f.progressive)),
            Some((100, 60, false))
        );
        // 4:2:0: MCUs of 16×16 → 7×4 MCUs, 6 blocks each of 64 coefficients × 2 bytes.
        let p420 = jpeg(100, 60, true, F_2_2);
        assert_eq!(progressive_coefficient_bytes(&p420), 7 * 4 * 6 * 128);
        // 4:4:4: MCUs of 8×8 → 13×8 MCUs, 3 blocks each.
        let p444 = jpeg(100, 60, true, F_1_1);
        assert_eq!(progressive_coefficient_bytes(&p444), 13 * 8 * 3 * 128);
        for junk in [
            &b""[..],
            b"\xFF\xD8",
            b"\xFF\xD8\xFF\xC2\x00",
            b"PNG",
            &p420[..12],
        ] {
            assert_eq!(progressive_coefficient_bytes(junk), 0);
        }
    }
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    /// Each photo takes the whole budget and then calls into rayon, as decoding may. On
    /// rayon's pool (the old `par_iter` over photos) a worker waiting for its own tasks
    /// steals the next photo, which waits forever for the lease below it: this hung.
    #[test]
    fn photos_that_use_rayon_inside_a_lease_cannot_deadlock() {
        // Each photo holds the whole budget while it uses rayon inside. Run as before
        // the fix (a par_iter over the photos, the lease awaited on a rayon worker),
        // these numbers deadlocked 15 times in 16 runs; with run_each they take ~2 s.
        use rayon::prelude::*;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(16)
                .build()
                .unwrap();
            let budget = Budget::new(100);
            let sums = pool.install(|| {
                run_each(200, |i| {
                    let _lease = budget.take(100);
                    (0..100u64)
                        .into_par_iter()
                        .map(|k| {
                            std::hint::black_box(k * i as u64);
                            std::thread::sleep(std::time::Duration::from_micros(20));
                            k
                        })
                        .sum::<u64>()
                })
            });
            let _ = tx.send(sums);
        });
        let sums = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the photos finished instead of deadlocking");
        assert_eq!(sums, vec![99 * 100 / 2; 200]);
    }

    #[test]
    fn run_each_keeps_the_order_and_runs_everything_once() {
        let out = run_each(1000, |i| i * 2);
        assert_eq!(out, (0..1000).map(|i| i * 2).collect::<Vec<_>>());
        assert!(run_each(0, |i| i).is_empty());
    }

    #[test]
    #[should_panic(expected = "rayon worker")]
    fn waiting_on_a_rayon_worker_is_refused() {
        let budget = Budget::new(10);
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| {
                let _ = budget.take(1);
            });
    }

    #[test]
    fn leases_never_exceed_the_budget_and_a_huge_one_runs_alone() {
        let budget = Arc::new(Budget::new(100));
        let peak = Arc::new(AtomicU64::new(0));
        let now = Arc::new(AtomicU64::new(0));
        let workers: Vec<_> = [60u64, 50, 40, 30, 250, 20, 70]
            .into_iter()
            .map(|bytes| {
                let (budget, peak, now) = (budget.clone(), peak.clone(), now.clone());
                std::thread::spawn(move || {
                    let _lease = budget.take(bytes);
                    let held = now.fetch_add(bytes, Ordering::SeqCst) + bytes;
                    if bytes <= 100 {
                        peak.fetch_max(held, Ordering::SeqCst);
                    } else {
                        assert_eq!(held, bytes, "the huge one runs alone");
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    now.fetch_sub(bytes, Ordering::SeqCst);
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        assert!(peak.load(Ordering::SeqCst) <= 100);
        assert_eq!(*budget.used.lock().unwrap(), 0);
    }
}
