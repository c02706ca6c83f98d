//! Files of an export, whether it is a folder or the `.zip` it came as.
//!
//! A zip is read in place: opening it reads only its central directory, a JSON entry
//! is read whole when asked for, and a photo one entry at a time, so a 2 GB export
//! never sits in memory. Nothing is ever extracted or written. Entry names are checked
//! once, at open, with the zip crate's enclosed-name rule and against absolute names:
//! an archive with a name that leaves it (`../x`, `/etc/x`) was not made by Instagram
//! and is refused whole.
//!
//! Names are relative and `/`-separated; a reader that finds nothing it knows at the
//! top can look below a single top-level folder (`enter_single_folder`), so a layout
//! is recognised wherever the export was unpacked.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use zip::ZipArchive;

use super::ExportError;

pub(crate) struct Archive {
    path: PathBuf,
    /// The folder entered by `enter_single_folder`, with its `/`, or "".
    prefix: String,
    /// Every file, by its name below `prefix`.
    names: Vec<String>,
    store: Store,
}

enum Store {
    Dir,
    /// The entry index of each name; the archive is behind a lock because reading an
    /// entry moves its reader, and `Export::read_media` takes `&self`.
    Zip {
        zip: Mutex<ZipArchive<BufReader<File>>>,
        index: HashMap<String, usize>,
    },
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive").field("path", &self.path).finish()
    }
}

/// Whether `path` is a zip by its first bytes, whatever its name.
pub(crate) fn is_zip(path: &Path) -> Result<bool, ExportError> {
    let mut head = [0u8; 4];
    let mut f = File::open(path).map_err(|e| ExportError::io(path, e))?;
    let n = f.read(&mut head).map_err(|e| ExportError::io(path, e))?;
    Ok(n == 4 && (head == *b"PK\x03\x04" || head == *b"PK\x05\x06"))
}

impl Archive {
    pub(crate) fn open(path: &Path) -> Result<Archive, ExportError> {
        if path.is_dir() {
            let names = dir_names(path);
            return Ok(Archive::new(path, names, Store::Dir));
        }
        let file = File::open(path).map_err(|e| ExportError::io(path, e))?;
        let zip_err = |source| ExportError::Zip {
            path: path.to_path_buf(),
            source,
        };
        let zip = ZipArchive::new(BufReader::new(file)).map_err(zip_err)?;
        let mut names = Vec::new();
        let mut raw = Vec::new();
        for i in 0..zip.len() {
            let entry = zip.by_index_data(i).map_err(zip_err)?;
            let name = entry.name().map_err(zip_err)?.into_owned();
            if entry.enclosed_name().is_none() || is_absolute(&name) {
                return Err(ExportError::UnsafeEntry {
                    path: path.to_path_buf(),
                    entry: name,
                });
            }
            if !entry.is_dir() && !is_clutter(&name) {
                names.push(name.trim_start_matches("./").to_string());
                raw.push(i);
            }
        }
        let index = names.iter().cloned().zip(raw).collect();
        let store = Store::Zip {
            zip: Mutex::new(zip),
            index,
        };
        Ok(Archive::new(path, names, store))
    }

    fn new(path: &Path, mut names: Vec<String>, store: Store) -> Archive {
        names.sort();
        Archive {
            path: path.to_path_buf(),
            prefix: String::new(),
            names,
            store,
        }
    }

    /// When every file is below one folder (a zip of the export's folder, or that
    /// folder unpacked into another), take names below it; false when there is none.
    pub(crate) fn enter_single_folder(&mut self) -> bool {
        let prefix = common_folder(&self.names);
        if prefix.is_empty() {
            return false;
        }
        for n in &mut self.names {
            n.drain(..prefix.len());
        }
        self.prefix.push_str(&prefix);
        true
    }

    /// The export's own path (the folder or the .zip).
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Every file's name, sorted.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.names
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    /// Where a name is, for messages: `export.zip/content/posts_1.json`.
    pub(crate) fn display(&self, name: &str) -> PathBuf {
        self.path.join(format!("{}{name}", self.prefix))
    }

    /// The whole file, refused past `limit` bytes (a zip entry's stated size is checked
    /// before anything is inflated, and the read is capped in case it lies).
    pub(crate) fn read(&self, name: &str, limit: u64) -> Result<Vec<u8>, ExportError> {
        self.with_reader(name, |r, size| {
            if size > limit {
                return Err(self.too_large(name, size, limit));
            }
            let mut bytes = Vec::with_capacity(size.min(limit) as usize);
            r.take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| ExportError::io(&self.display(name), e))?;
            if bytes.len() as u64 > limit {
                return Err(self.too_large(name, bytes.len() as u64, limit));
            }
            Ok(bytes)
        })
    }

    /// Up to the first `n` bytes, to tell what a file without an extension holds.
    pub(crate) fn head(&self, name: &str, n: usize) -> Result<Vec<u8>, ExportError> {
        self.with_reader(name, |r, _| {
            let mut bytes = Vec::with_capacity(n);
            r.take(n as u64)
                .read_to_end(&mut bytes)
                .map_err(|e| ExportError::io(&self.display(name), e))?;
            Ok(bytes)
        })
    }

    fn with_reader<T>(
        &self,
        name: &str,
        f: impl FnOnce(&mut dyn Read, u64) -> Result<T, ExportError>,
    ) -> Result<T, ExportError> {
        if !self.contains(name) || !is_relative_path(name) {
            return Err(ExportError::MissingMedia {
                export: self.path.clone(),
                entry: name.to_string(),
            });
        }
        match &self.store {
            Store::Dir => {
                let path = self.display(name);
                let mut file = File::open(&path).map_err(|e| ExportError::io(&path, e))?;
                let size = file.metadata().map(|m| m.len()).unwrap_or(0);
                f(&mut file, size)
            }
            Store::Zip { zip, index } => {
                let mut zip = zip.lock().unwrap_or_else(|e| e.into_inner());
                let full = format!("{}{name}", self.prefix);
                let mut entry = zip
                    .by_index(index[&full])
                    .map_err(|source| ExportError::Zip {
                        path: self.path.clone(),
                        source,
                    })?;
                let size = entry.size();
                f(&mut entry, size)
            }
        }
    }

    fn too_large(&self, name: &str, size: u64, limit: u64) -> ExportError {
        ExportError::TooLarge {
            export: self.path.clone(),
            entry: name.to_string(),
            size,
            limit,
        }
    }
}

/// A name from inside the export (a JSON `uri`) may be joined to the folder only if it
/// stays inside it.
fn is_relative_path(name: &str) -> bool {
    Path::new(name)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}

/// Files below `root`, as `/`-separated relative names, walked as glyph walks the
/// curator's folders: hidden and temporary files (`.DS_Store`, `~$x`) are not part of
/// any export, and links are not followed out of it.
fn dir_names(root: &Path) -> Vec<String> {
    crate::scan::walk(root)
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(root).ok()?;
            let parts: Option<Vec<&str>> =
                rel.components().map(|c| c.as_os_str().to_str()).collect();
            Some(parts?.join("/"))
        })
        .collect()
}

/// The zip crate's enclosed-name check reads `/etc/x` as `etc/x`; an export never
/// holds such a name, so it is refused too, as is a Windows drive (`C:\x`).
fn is_absolute(name: &str) -> bool {
    name.starts_with(['/', '\\']) || name.as_bytes().get(1) == Some(&b':')
}

/// Files no export holds but zips made on a Mac or in a file manager do: the
/// `__MACOSX/` resource forks, `.DS_Store`, temporary files.
fn is_clutter(name: &str) -> bool {
    name.starts_with("__MACOSX/")
        || name
            .split('/')
            .any(|part| crate::scan::is_ignored_name(std::ffi::OsStr::new(part)))
}

/// `"x/"` when every name is below one folder `x`, else "".
fn common_folder(names: &[String]) -> String {
    let first = match names.first().and_then(|n| n.split_once('/')) {
        Some((folder, _)) => format!("{folder}/"),
        None => return String::new(),
    };
    if names.iter().all(|n| n.starts_with(&first)) {
        first
    } else {
        String::new()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A zip of `(name, bytes)` entries, deflated, at `path`.
    pub(crate) fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
        let mut w = zip::ZipWriter::new(File::create(path).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        for (name, bytes) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
    }

    #[test]
    fn zip_is_read_in_place_below_its_top_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.zip");
        write_zip(
            &path,
            &[
                ("ig/content/posts_1.json", b"[]"),
                ("ig/media/a.jpg", b"\xff\xd8\xff"),
            ],
        );
        assert!(is_zip(&path).unwrap());
        let mut a = Archive::open(&path).unwrap();
        assert!(a.enter_single_folder());
        assert!(!a.enter_single_folder());
        assert_eq!(a.names(), ["content/posts_1.json", "media/a.jpg"]);
        assert!(a
            .display("media/a.jpg")
            .ends_with("export.zip/ig/media/a.jpg"));
        assert_eq!(a.read("content/posts_1.json", 10).unwrap(), b"[]");
        assert_eq!(a.head("media/a.jpg", 2).unwrap(), b"\xff\xd8");
        assert!(matches!(
            a.read("media/a.jpg", 2),
            Err(ExportError::TooLarge { .. })
        ));
        assert!(matches!(
            a.read("nope", 2),
            Err(ExportError::MissingMedia { .. })
        ));
    }

    #[test]
    fn zip_with_an_entry_leaving_it_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../evil.json", "/etc/evil.json", "a/../../evil.json"] {
            let path = dir.path().join("bad.zip");
            write_zip(&path, &[("content/posts_1.json", b"[]"), (bad, b"x")]);
            let names: Vec<String> = zip::ZipArchive::new(File::open(&path).unwrap())
                .unwrap()
                .file_names()
                .map(|n| n.unwrap().into_owned())
                .collect();
            match Archive::open(&path) {
                Err(ExportError::UnsafeEntry { entry, .. }) if entry == bad => {}
                other => panic!("{bad}: {names:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn folder_names_never_leave_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("media")).unwrap();
        std::fs::write(dir.path().join("media/a.jpg"), b"x").unwrap();
        std::fs::write(dir.path().join(".DS_Store"), b"x").unwrap();
        let a = Archive::open(dir.path()).unwrap();
        assert_eq!(a.names(), ["media/a.jpg"]);
        assert!(a.read("media/../../a.jpg", 10).is_err());
        assert_eq!(a.read("media/a.jpg", 10).unwrap(), b"x");
    }
}
