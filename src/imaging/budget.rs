//! A memory budget shared by the photos being decoded at once. Each photo is bounded
//! on its own (`MAX_DECODE_BYTES`), but a machine with many cores decoding many large
//! panoramas together could still run out; a photo waits for room before it decodes.

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
    pub fn take(&self, bytes: u64) -> Lease<'_> {
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

/// What decoding a `width`×`height` photo may need at most: its RGBA pixels, plus the
/// same again for resizing and the renditions.
pub fn decode_cost(width: u32, height: u32) -> u64 {
    width as u64 * height as u64 * 4 * 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

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
