//! Why one photo was not imported: read before the plan, or met while carrying it out.
//! Each is said in the import's summary beside the photo's path, and none stops the
//! rest of the import.

use std::io;
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::metadata::PhotoError;

/// Why a photo was not imported.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// Links are not followed, as in the build.
    #[error("it is a symbolic link, which import does not follow; copy the photo itself into the folder")]
    Symlink,
    /// A format glyph does not read (the extension, lower case).
    #[error("glyph cannot read .{0} photos; export it as JPEG first")]
    Unsupported(String),
    /// The photo itself is unusable.
    #[error(transparent)]
    Photo(#[from] PhotoError),
    /// Its header reads, but its pixels do not decode (the build would refuse it).
    #[error("{0}")]
    Undecodable(#[source] crate::imaging::Error),
    /// The export's copy of it cannot be read.
    #[error(transparent)]
    Export(#[from] super::export::ExportError),
    /// The sidecar beside it in the import folder does not parse.
    #[error("its sidecar is not valid: {}", sidecar_words(.0))]
    BadSidecar(Box<Diagnostic>),
    /// The carried-over sidecar's `slug:` is another sign's.
    #[error("its sidecar sets `slug: {0}`, which another sign has")]
    SlugTaken(String),
    /// The source changed between the plan and the copy.
    #[error("it changed while being imported; run the import again")]
    Changed,
    /// The copy cannot be read back to verify it.
    #[error("cannot read the copy back: {0}")]
    ReadBack(#[source] io::Error),
    /// The copy is not the original: it was removed.
    #[error("the copy at {} differs from the original (disk full or failing?); it was removed", .0.display())]
    CopyDiffers(PathBuf),
    /// A folder or file of the archive cannot be written.
    #[error("cannot {verb} {}: {source}", .path.display())]
    Write {
        /// "create" for a folder, "write" for a file.
        verb: &'static str,
        /// What could not be written.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: io::Error,
    },
    /// Someone else made the target file meanwhile; nothing was replaced.
    #[error("{} appeared while importing; nothing was replaced", .0.display())]
    Appeared(PathBuf),
    /// With `--move`: the copy is safe, the original stays.
    #[error("copied and verified, but the original cannot be deleted: {0}")]
    CannotDelete(#[source] io::Error),
}

fn sidecar_words(d: &Diagnostic) -> String {
    let hint = d
        .hint
        .as_deref()
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    format!("{}: {}{hint}", d.location().unwrap_or_default(), d.message)
}
