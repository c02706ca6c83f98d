//! Carrying out one import: copy, verify, write the sidecar, and only then (with
//! `--move`) delete the source. No step can replace an existing file.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::Path;

use super::{Action, Item};

pub fn carry_out(item: &Item, move_files: bool) -> Result<(), String> {
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
    let dir = photo.parent().ok_or("the target has no folder")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let bytes = std::fs::read(&item.source).map_err(|e| format!("cannot read it: {e}"))?;
    if blake3::hash(&bytes).to_hex().as_str() != hash {
        return Err("it changed while being imported; run the import again".into());
    }
    let mtime = std::fs::metadata(&item.source)
        .and_then(|m| m.modified())
        .ok();
    place_new(photo, &bytes, mtime)?;
    // Read back what landed: a copy is only trusted once it is known to be whole.
    let landed = std::fs::read(photo).map_err(|e| format!("cannot read the copy back: {e}"))?;
    if blake3::hash(&landed).to_hex().as_str() != hash {
        let _ = std::fs::remove_file(photo);
        return Err(format!(
            "the copy at {} differs from the original (disk full or failing?); it was removed",
            photo.display()
        ));
    }
    if let Err(e) = create_new(sidecar, sidecar_text.as_bytes()) {
        // The photo is ours (made a moment ago); without its sidecar it must go too.
        let _ = std::fs::remove_file(photo);
        return Err(format!("cannot write {}: {e}", sidecar.display()));
    }
    if move_files {
        std::fs::remove_file(&item.source)
            .map_err(|e| format!("copied and verified, but the original cannot be deleted: {e}"))?;
        if let Some(s) = source_sidecar {
            let _ = std::fs::remove_file(s);
        }
    }
    Ok(())
}

/// Write `bytes` to a temporary name beside `to`, then link it into place: `to`
/// appears whole or not at all, and an existing file there is never replaced.
fn place_new(to: &Path, bytes: &[u8], mtime: Option<std::time::SystemTime>) -> Result<(), String> {
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
        return Err(format!("cannot write {}: {e}", to.display()));
    }
    let linked = std::fs::hard_link(&tmp, to);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(format!(
            "{} appeared while importing; nothing was replaced",
            to.display()
        )),
        Err(_) => {
            // File systems without hard links: an exclusive create, written in place.
            create_new(to, bytes).map_err(|e| format!("cannot write {}: {e}", to.display()))?;
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
