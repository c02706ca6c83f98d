//! Why a photo file cannot be used, for the build, `check` and `import` alike: one
//! size limit, one wording, and a hint chosen by the kind of problem.

use std::io;

const MB: u64 = 1024 * 1024;

/// Larger files are refused before they are read: no phone or camera makes them.
pub const MAX_PHOTO_BYTES: u64 = 512 * MB;

/// Why a photo cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The file system refused to give its size or bytes.
    #[error("cannot read it: {0}")]
    Read(#[source] io::Error),
    /// Over `MAX_PHOTO_BYTES`.
    #[error("the file is {} MB; photos over {} MB are refused", .0 / MB, MAX_PHOTO_BYTES / MB)]
    TooBig(u64),
    /// Zero bytes.
    #[error("the file is empty (0 bytes)")]
    Empty,
    /// A JPEG without its end: a copy that stopped early.
    #[error("the JPEG is truncated (its data ends early); copy the photo again from the camera or phone")]
    Truncated,
    /// Not a format glyph reads.
    #[error("this is not an image file (JPEG, PNG, WebP or HEIC)")]
    NotAnImage,
    /// The format is known but its header cannot be read.
    #[error("the image header is unreadable: {0}")]
    Header(String),
    /// A header that declares no pixels.
    #[error("the image has no pixels ({0}×{1})")]
    NoPixels(u32, u32),
    /// The HEIC container cannot be read.
    #[error("the HEIC file {what}: {detail}")]
    Heic {
        /// What failed, in words ("is unreadable", "has no main image").
        what: &'static str,
        /// The decoder's own words.
        detail: String,
    },
}

impl PhotoError {
    /// What the curator can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            PhotoError::TooBig(_) => "export a smaller JPEG of it",
            PhotoError::Heic { .. } => "copy the photo again from the phone (this copy may be cut short or damaged), or export it as JPEG",
            _ => "replace it with a JPEG, PNG, WebP or HEIC photo, or move it out of the photos folder",
        }
    }
}

/// A photo's bytes, refused before reading when the file is too big for any camera.
pub fn read_photo(path: &std::path::Path) -> Result<Vec<u8>, PhotoError> {
    let size = std::fs::metadata(path).map_err(PhotoError::Read)?.len();
    check_size(size)?;
    std::fs::read(path).map_err(PhotoError::Read)
}

/// `TooBig` for a file over `MAX_PHOTO_BYTES`.
pub fn check_size(size: u64) -> Result<(), PhotoError> {
    if size > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooBig(size));
    }
    Ok(())
}
