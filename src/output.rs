//! Output: write the whole site into a staging folder beside the target, then swap it in.
//!
//! On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`, so at every instant the
//! target is either the old site or the new one, even if the build is killed. Elsewhere
//! it is two renames. A failed or killed build leaves the last good site in place; its
//! leftover staging folder is removed by the next build.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::Site;
use crate::diag::{rel, Diagnostic};
use crate::render::theme::Source;
use crate::render::OutputFile;

const STAGING: &str = "glyph-staging";
/// Marks a folder as glyph's output, so a build never replaces a folder it did not make.
pub const MARKER: &str = ".glyph-output";
const MARKER_TEXT: &str =
    "This folder is made by `glyph build` and replaced whole on every build.\n";

/// Everything that makes up the site.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    pub generated: Vec<OutputFile>,
    /// Theme and site static files: output path → source.
    pub statics: Vec<(String, Source)>,
    /// Derived images: file name under `media/` → the cached file.
    pub media: Vec<(String, PathBuf)>,
}

/// Refuse an output folder that holds, or is, anything the curator wrote: replacing it
/// would delete their work.
pub fn check_target(site: &Site) -> Result<(), Diagnostic> {
    let out = normalise(&site.output);
    let precious = [
        (&site.root, "the site folder"),
        (&site.photos, "the photos folder"),
        (&site.content, "the content folder"),
    ];
    for (dir, what) in precious {
        let dir = normalise(dir);
        if out == dir
            || dir.starts_with(&out)
            || out.starts_with(&dir) && dir != normalise(&site.root)
        {
            return Err(Diagnostic::error(format!(
                "the output folder {} would overwrite {what}",
                site.output.display()
            ))
            .file(crate::config::CONFIG_FILE)
            .hint("set `output_dir` (or --output) to a folder of its own, such as public"));
        }
    }
    for sub in ["templates", "static", "themes"] {
        let dir = normalise(&site.root.join(sub));
        if out == dir || out.starts_with(&dir) {
            return Err(Diagnostic::error(format!(
                "the output folder {} is inside {sub}/",
                site.output.display()
            ))
            .hint("set `output_dir` (or --output) to a folder of its own, such as public"));
        }
    }
    if out.is_dir()
        && !out.join(MARKER).is_file()
        && std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some())
    {
        return Err(Diagnostic::error(format!(
            "the output folder {} already exists and was not made by glyph; building would replace everything in it",
            site.output.display()
        ))
        .hint("choose a new or empty folder for --output (or output_dir), or delete this one yourself if you are sure"));
    }
    if out.is_file() {
        return Err(Diagnostic::error(format!(
            "the output {} is a file, not a folder",
            site.output.display()
        )));
    }
    Ok(())
}

/// Resolve `.` and `..` without touching the file system (the folder may not exist yet).
fn normalise(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Write `files` as the new content of `target`; the target is untouched unless
/// everything was written.
pub fn write_site(root: &Path, target: &Path, files: &SiteFiles) -> Result<(), Diagnostic> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let fail = |what: &str, e: std::io::Error| {
        Diagnostic::error(format!("cannot {what}: {e}")).file(rel(root, target))
    };
    std::fs::create_dir_all(parent).map_err(|e| fail("create the output's parent folder", e))?;
    remove_leftovers(parent, &name);
    let staging = parent.join(format!(".{name}.{STAGING}-{}", std::process::id()));
    if let Err(e) = fill(&staging, files) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(fail("write the site", e));
    }
    swap(&staging, target).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staging);
        fail("replace the output folder", e)
    })
}

/// Static files that would land where a generated file goes: the generated one wins,
/// and the curator is told which file is not published.
pub fn clashes(
    root: &Path,
    generated: &[OutputFile],
    statics: &[(String, Source)],
) -> Vec<Diagnostic> {
    let generated: HashSet<&str> = generated.iter().map(|(p, _)| p.as_str()).collect();
    statics
        .iter()
        .filter(|(path, _)| generated.contains(path.as_str()) || path.starts_with("media/") || path == MARKER)
        .map(|(path, src)| {
            Diagnostic::warning(format!("static file `{path}` has the same path as a page glyph makes, so it is not published"))
                .file(rel(root, &src.describe(path, "static")))
                .hint("rename or move it")
        })
        .collect()
}

fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.{STAGING}-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn fill(staging: &Path, files: &SiteFiles) -> std::io::Result<()> {
    std::fs::create_dir_all(staging)?;
    write(staging, MARKER, MARKER_TEXT.as_bytes())?;
    for (path, src) in &files.statics {
        write(staging, path, &src.read()?)?;
    }
    if !files.media.is_empty() {
        let media = staging.join("media");
        std::fs::create_dir_all(&media)?;
        for (name, cached) in &files.media {
            let to = media.join(name);
            // A hard link costs nothing; across file systems fall back to a copy.
            if std::fs::hard_link(cached, &to).is_err() {
                std::fs::copy(cached, &to)?;
            }
        }
    }
    for (path, bytes) in &files.generated {
        write(staging, path, bytes)?;
    }
    Ok(())
}

fn write(root: &Path, rel_path: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = root.join(rel_path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

fn swap(staging: &Path, target: &Path) -> std::io::Result<()> {
    if !target.exists() {
        return std::fs::rename(staging, target);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous site; the next build removes it if this fails.
            let _ = std::fs::remove_dir_all(staging);
            return Ok(());
        }
    }
    let old = staging.with_extension("old");
    std::fs::rename(target, &old)?;
    if let Err(e) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(old);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(text: &str) -> SiteFiles {
        SiteFiles {
            generated: vec![("index.html".into(), text.as_bytes().to_vec())],
            statics: vec![],
            media: vec![],
        }
    }

    #[test]
    fn replaces_whole_folder_and_drops_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write_site(dir.path(), &target, &files("one")).unwrap();
        std::fs::write(target.join("stale.html"), "old").unwrap();
        write_site(dir.path(), &target, &files("two")).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        assert!(!target.join("stale.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(leftovers.len(), 1, "only public/ remains");
        assert!(target.join(MARKER).is_file());
    }
}
