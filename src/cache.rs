//! The build cache in `.glyph-cache/`: derived images, and a manifest of what each photo
//! file said last time (content hash, pixel size, EXIF), keyed by path and `Stamp`, and
//! what was learnt of its picture, keyed by content hash (average colour, and the
//! perceptual fingerprint `glyph import` compares).
//!
//! The cache is only ever an accelerator: a missing or damaged manifest means the
//! photos are read again, never a failed build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::metadata::PhotoFacts;

const MANIFEST: &str = "manifest.bin";
/// Where older glyphs kept the manifest, as JSON: read once, so that upgrading does not
/// make every photo's renditions again.
const LEGACY_MANIFEST: &str = "manifest.json";
/// Bump when `PhotoFacts` or what it records changes meaning.
const MANIFEST_VERSION: u32 = 3;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct PhotoRecord {
    stamp: Stamp,
    facts: PhotoFacts,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    version: u32,
    photos: BTreeMap<String, PhotoRecord>,
    /// Source hash → average colour, learnt when the renditions were made.
    colors: BTreeMap<String, [u8; 3]>,
    /// Reverse-geocoding answers.
    geo: crate::geo::GeoMemo,
    /// Source hash → perceptual fingerprint (text form), learnt by `glyph import`.
    fingerprints: BTreeMap<String, String>,
}

/// The cheap "has it changed" check: size, modification time and, for the curator's
/// files, the inode change time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: u128,
    /// The inode change time (0 where there is none, and for glyph's own output).
    /// Tools that rewrite a photo in place and put its modification time back
    /// (`exiftool -P`, `touch -r`) cannot put this one back.
    pub ctime_ns: u128,
}

impl Stamp {
    /// The stamp of a source file (photo, sidecar, page).
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        Stamp {
            ctime_ns: change_time(meta),
            ..Stamp::of_output(meta)
        }
    }

    /// The stamp of a file glyph wrote: size and modification time only, because
    /// hard-linking an unchanged page into the next site changes its inode change time.
    pub fn of_output(meta: &std::fs::Metadata) -> Stamp {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Stamp {
            size: meta.len(),
            mtime_ns,
            ctime_ns: 0,
        }
    }
}

#[cfg(unix)]
fn change_time(meta: &std::fs::Metadata) -> u128 {
    use std::os::unix::fs::MetadataExt;
    u128::try_from(meta.ctime()).unwrap_or(0) * 1_000_000_000
        + u128::try_from(meta.ctime_nsec()).unwrap_or(0)
}

#[cfg(not(unix))]
fn change_time(_meta: &std::fs::Metadata) -> u128 {
    0
}

/// What the manifest keeps of one photo: its key (path), stamp and facts.
pub type ManifestEntry = (String, Stamp, PhotoFacts);

pub struct Cache {
    dir: PathBuf,
    manifest: Manifest,
    /// The manifest differs from the file: an edit's build that learnt nothing new need
    /// not write 10,000 photos' records again.
    changed: bool,
    /// A digest of the geocoding answers lent to the build's geocoder, to tell whether
    /// those it gives back differ.
    geo_lent: Option<u64>,
}

impl Cache {
    pub fn open(dir: &Path) -> Cache {
        let legacy = || {
            let bytes = std::fs::read(dir.join(LEGACY_MANIFEST)).ok()?;
            serde_json::from_slice::<Manifest>(&bytes).ok()
        };
        let saved = std::fs::read(dir.join(MANIFEST))
            .ok()
            .and_then(|b| crate::util::decode_record::<Manifest>(&b))
            .filter(|m| m.version == MANIFEST_VERSION);
        // A legacy or missing manifest is written in today's form by the first save.
        let changed = saved.is_none();
        let manifest = saved
            .or_else(|| legacy().filter(|m| m.version == MANIFEST_VERSION))
            .unwrap_or(Manifest {
                version: MANIFEST_VERSION,
                ..Manifest::default()
            });
        Cache {
            dir: dir.to_path_buf(),
            manifest,
            changed,
            geo_lent: None,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn media_dir(&self) -> PathBuf {
        self.dir.join("media")
    }

    pub fn facts(&self, key: &str, stamp: Stamp) -> Option<&PhotoFacts> {
        let r = self.manifest.photos.get(key)?;
        (r.stamp == stamp && stamp.mtime_ns != 0).then_some(&r.facts)
    }

    pub fn color(&self, source_hash: &str) -> Option<[u8; 3]> {
        self.manifest.colors.get(source_hash).copied()
    }

    /// Replace what the manifest knows with what this build saw, so entries of deleted
    /// photos go away (fingerprints too: the next import makes the missing ones again).
    pub fn record(&mut self, photos: Vec<ManifestEntry>, colors: Vec<(String, [u8; 3])>) {
        let known = &self.manifest.photos;
        // Facts are only taken from the manifest when the stamp matches, so the same
        // stamps mean the same facts.
        let same = photos.len() == known.len()
            && photos.iter().all(|(k, stamp, _)| {
                stamp.mtime_ns != 0 && known.get(k).is_some_and(|r| r.stamp == *stamp)
            });
        let colors: BTreeMap<String, [u8; 3]> = colors.into_iter().collect();
        self.changed |= !same || colors != self.manifest.colors;
        self.manifest.photos = photos
            .into_iter()
            .map(|(k, stamp, facts)| (k, PhotoRecord { stamp, facts }))
            .collect();
        self.manifest.colors = colors;
        let hashes: std::collections::HashSet<&str> = (self.manifest.photos.values())
            .map(|r| r.facts.hash.as_str())
            .collect();
        let before = self.manifest.fingerprints.len();
        self.manifest
            .fingerprints
            .retain(|hash, _| hashes.contains(hash.as_str()));
        self.changed |= self.manifest.fingerprints.len() != before;
    }

    /// The fingerprint recorded for a photo of this content hash, in its text form.
    pub(crate) fn fingerprint(&self, source_hash: &str) -> Option<&str> {
        self.manifest
            .fingerprints
            .get(source_hash)
            .map(String::as_str)
    }

    pub(crate) fn record_fingerprint(&mut self, source_hash: String, fingerprint: String) {
        let old = self
            .manifest
            .fingerprints
            .insert(source_hash, fingerprint.clone());
        self.changed |= old.as_ref() != Some(&fingerprint);
    }

    /// A geocoder that knows the answers of the last build.
    pub fn geocoder(&mut self) -> crate::geo::Geocoder {
        self.geo_lent = Some(crate::util::quick_hash(&self.manifest.geo));
        crate::geo::Geocoder::remembering(std::mem::take(&mut self.manifest.geo))
    }

    /// The answers of the geocoder `geocoder` gave, when it is done.
    pub fn record_geo(&mut self, memo: crate::geo::GeoMemo) {
        let before = self
            .geo_lent
            .take()
            .unwrap_or_else(|| crate::util::quick_hash(&self.manifest.geo));
        self.changed |= crate::util::quick_hash(&memo) != before;
        self.manifest.geo = memo;
    }

    /// Write the manifest, when it has changed since it was read or last saved.
    pub fn save(&mut self) -> std::io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)?;
        crate::util::save_record(&self.dir.join(MANIFEST), &self.manifest)?;
        self.changed = false;
        Ok(())
    }

    /// Delete derived images that no sign uses any more.
    pub fn prune_media(&self, keep: &std::collections::HashSet<String>) {
        let Ok(entries) = std::fs::read_dir(self.media_dir()) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A position read back from the cache must be the one the photo's EXIF gave, to
    /// the bit: a warm build rounds it for the page exactly as a cold one did. The
    /// manifest stores floats' bits; the JSON one of older glyphs, read once on
    /// upgrading, parses them exactly only with serde_json's `float_roundtrip` feature.
    #[test]
    fn coordinates_come_back_from_the_manifest_bit_for_bit() {
        let mut off = Vec::new();
        for d in 0..90u32 {
            for m in 0..60u32 {
                for s in (0..6000u32).step_by(7) {
                    let v = d as f64 + m as f64 / 60.0 + s as f64 / 100.0 / 3600.0;
                    let json: f64 =
                        serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
                    let record = crate::util::encode_record(&v).unwrap();
                    let binary: f64 = crate::util::decode_record(&record).unwrap();
                    if json.to_bits() != v.to_bits() || binary.to_bits() != v.to_bits() {
                        off.push(v);
                    }
                }
            }
        }
        assert!(
            off.is_empty(),
            "{} of them, such as {:?}",
            off.len(),
            &off[..off.len().min(3)]
        );
    }

    /// The JSON manifest an older glyph left is read when there is no binary one (so an
    /// upgrade keeps the renditions), and goes once the binary one is saved.
    #[test]
    fn an_older_json_manifest_is_read_then_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let mut old = Manifest {
            version: MANIFEST_VERSION,
            ..Manifest::default()
        };
        old.colors.insert("abc".into(), [1, 2, 3]);
        let json = serde_json::to_vec(&old).unwrap();
        std::fs::write(dir.path().join(LEGACY_MANIFEST), json).unwrap();
        let mut cache = Cache::open(dir.path());
        assert_eq!(cache.color("abc"), Some([1, 2, 3]));
        cache.save().unwrap();
        assert!(!dir.path().join(LEGACY_MANIFEST).exists());
        assert_eq!(Cache::open(dir.path()).color("abc"), Some([1, 2, 3]));
    }

    /// A build that learnt nothing new leaves the manifest as it was; one that did
    /// writes it.
    #[test]
    fn the_manifest_is_written_only_when_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(MANIFEST);
        let learn = |colors: &[(&str, [u8; 3])]| {
            let mut cache = Cache::open(dir.path());
            let geocoder = cache.geocoder();
            cache.record_geo(geocoder.into_memo());
            let colors = colors.iter().map(|(h, c)| (h.to_string(), *c)).collect();
            cache.record(Vec::new(), colors);
            cache
        };
        learn(&[("abc", [1, 2, 3])]).save().unwrap();
        assert!(file.exists());
        let mut same = learn(&[("abc", [1, 2, 3])]);
        std::fs::remove_file(&file).unwrap();
        same.save().unwrap();
        assert!(
            !file.exists(),
            "nothing new was learnt, yet the manifest was written"
        );
        learn(&[("abc", [1, 2, 3])]).save().unwrap();
        assert!(file.exists(), "a missing manifest is written");
        let mut other = learn(&[("abc", [9, 9, 9])]);
        std::fs::remove_file(&file).unwrap();
        other.save().unwrap();
        assert_eq!(Cache::open(dir.path()).color("abc"), Some([9, 9, 9]));
    }
}
