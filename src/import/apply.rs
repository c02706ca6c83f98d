//! Carrying out one import: copy, verify, write the sidecar, and only then (with
//! `--move`) delete the source. No step can replace an existing file. A sign from an
//! export is its photos copied (never moved: an export is not changed) and then its
//! sidecar; if any step fails, the files it made are removed again.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::Path;

use super::folder::{Action, Item};
use super::posts::Sign;
use super::Problem;
use crate::metadata::PhotoError;

pub fn carry_out(item: &Item, move_files: bool) -> Result<(), Problem> {
    let Action::Import {
        photo,
        sidecar,
        sidecar_text,
        source_sidecar,
        hash,
        ..
    } = &item.action
    else {
        return Ok(());
    };
    // Planned as a file inside the photos folder, so it has a parent.
    let dir = photo.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| Problem::Write {
        verb: "create",
        path: dir.to_path_buf(),
        source,
    })?;
    let bytes = std::fs::read(&item.source).map_err(PhotoError::Read)?;
    if blake3::hash(&bytes).to_hex().as_str() != hash {
        return Err(Problem::Changed);
    }
    let mtime = std::fs::metadata(&item.source)
        .and_then(|m| m.modified())
        .ok();
    place_new(photo, &bytes, mtime)?;
    // Read back what landed: a copy is only trusted once it is known to be whole.
    let landed = std::fs::read(photo).map_err(Problem::ReadBack)?;
    if blake3::hash(&landed).to_hex().as_str() != hash {
        let _ = std::fs::remove_file(photo);
        return Err(Problem::CopyDiffers(photo.clone()));
    }
    if let Err(e) = create_new(sidecar, sidecar_text.as_bytes()) {
        // The photo is ours (made a moment ago); without its sidecar it must go too.
        let _ = std::fs::remove_file(photo);
        return Err(written(sidecar)(e));
    }
    if move_files {
        std::fs::remove_file(&item.source).map_err(Problem::CannotDelete)?;
        if let Some(s) = source_sidecar {
            let _ = std::fs::remove_file(s);
        }
    }
    Ok(())
}

/// Copy a sign's photos, each read by `read` (given its index in the post's media)
/// and checked against the hash it was planned with, then write its sidecar.
pub(super) fn carry_out_sign(
    sign: &Sign,
    read: impl Fn(usize) -> Result<Vec<u8>, Problem>,
) -> Result<(), Problem> {
    let mut made: Vec<&Path> = Vec::new();
    let result = (|| {
        for p in &sign.photos {
            let dir = p.to.parent().unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir).map_err(|source| Problem::Write {
                verb: "create",
                path: dir.to_path_buf(),
                source,
            })?;
            let bytes = read(p.media)?;
            if blake3::hash(&bytes).to_hex().as_str() != p.hash {
                return Err(Problem::Changed);
            }
            place_new(&p.to, &bytes, None)?;
            made.push(&p.to);
            let landed = std::fs::read(&p.to).map_err(Problem::ReadBack)?;
            if blake3::hash(&landed).to_hex().as_str() != p.hash {
                return Err(Problem::CopyDiffers(p.to.clone()));
            }
        }
        create_new(&sign.sidecar, sign.text.as_bytes()).map_err(written(&sign.sidecar))
    })();
    if result.is_err() {
        // Only files made a moment ago by this very step.
        for path in made {
            let _ = std::fs::remove_file(path);
        }
    }
    result
}

/// The file-system error of writing `path`, as a problem.
fn written(path: &Path) -> impl FnOnce(std::io::Error) -> Problem + '_ {
    move |source| Problem::Write {
        verb: "write",
        path: path.to_path_buf(),
        source,
    }
}

/// Write `bytes` to a temporary name beside `to`, then link it into place: `to`
/// appears whole or not at all, and an existing file there is never replaced.
fn place_new(to: &Path, bytes: &[u8], mtime: Option<std::time::SystemTime>) -> Result<(), Problem> {
    let name = to.file_name().unwrap_or_default().to_string_lossy();
    let tmp = to.with_file_name(format!(".{name}.glyph-import-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        if let Some(t) = mtime {
            // Keep the photo's own time: it is what file browsers sort by.
            let _ = f.set_modified(t);
        }
        f.sync_all()
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&tmp);
        return Err(written(to)(e));
    }
    let linked = std::fs::hard_link(&tmp, to);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(Problem::Appeared(to.to_path_buf())),
        Err(_) => {
            // File systems without hard links: an exclusive create, written in place.
            create_new(to, bytes).map_err(written(to))?;
            if let (Some(t), Ok(f)) = (mtime, File::options().write(true).open(to)) {
                let _ = f.set_modified(t);
            }
            Ok(())
        }
    }
}

fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}
