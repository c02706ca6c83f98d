//! Small helpers that belong to no module's concept. Only what has no better home
//! goes here: anything about photos, pages, the cache or the output lives with them.

use std::path::Path;

/// Write beside the target and rename, so a killed build never leaves half a file
/// under a name that says it is complete.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// An identity of the running glyph binary: its version, size and modification time.
/// What another build of glyph might compute differently from the same inputs (rendered
/// pages, geocoding answers) is only trusted by the binary that recorded it; `None` when
/// the binary cannot be found, and then nothing recorded is trusted.
pub(crate) fn binary_id() -> Option<u64> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut h = DefaultHasher::new();
    (env!("CARGO_PKG_VERSION"), meta.len(), mtime_ns).hash(&mut h);
    Some(h.finish())
}

/// A quick 64-bit hash of `value`, for comparing within one run of this binary only: the
/// standard hasher may differ between Rust releases, so it is never written down.
pub(crate) fn quick_hash(value: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

/// `n` with `word`, which gets an `s` unless `n` is 1: "1 error", "3 errors", "0 photos".
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", one_or_many(n, "", "s"))
}

/// `one` when `n` is 1, else `many`: for the words that go with a count ("it"/"them").
pub(crate) fn one_or_many<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// What starts every record glyph keeps for itself in `.glyph-cache/`, and its format's
/// version: a file that does not start so (an older glyph's, or damaged) is no record.
const RECORD_MAGIC: &[u8; 8] = b"glyph\x00r1";

/// One of glyph's own records (the photo manifest, what an output folder holds, the
/// no-op check), as bytes: postcard, not JSON. At 10,000 signs the JSON records were
/// 12 MB that every build parsed and wrote again; no person or other program reads them.
pub(crate) fn encode_record<T: serde::Serialize>(record: &T) -> std::io::Result<Vec<u8>> {
    postcard::to_extend(record, RECORD_MAGIC.to_vec()).map_err(std::io::Error::other)
}

/// Save a record where `encode_record`'s bytes go, and drop the JSON one an older glyph
/// kept beside it under the same name (nothing reads it any more).
pub(crate) fn save_record<T: serde::Serialize>(path: &Path, record: &T) -> std::io::Result<()> {
    write_atomic(path, &encode_record(record)?)?;
    let _ = std::fs::remove_file(path.with_extension("json"));
    Ok(())
}

/// A record read back; `None` when the bytes are not a whole record of this shape.
pub(crate) fn decode_record<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let body = bytes.strip_prefix(RECORD_MAGIC)?;
    match postcard::take_from_bytes(body) {
        Ok((record, [])) => Some(record),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        assert_eq!(plural(0, "photo"), "0 photos");
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(plural(2, "more page"), "2 more pages");
        assert_eq!(one_or_many(1, "it", "them"), "it");
        assert_eq!(one_or_many(3, "it", "them"), "them");
    }
}
