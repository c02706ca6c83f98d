//! Why a photo's renditions cannot be made, in words for the curator, with the hint
//! that fits the kind of problem.

use std::fmt;

use super::limits::{MAX_DECODE_BYTES, MAX_SIDE};

const MB: u64 = 1024 * 1024;

/// Why the renditions of a photo cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The photo's bytes cannot be read.
    #[error("cannot read the photo: {0}")]
    Read(#[source] std::io::Error),
    /// Decoding would need more memory than one photo may take.
    #[error("the image is too large to process safely ({0})")]
    TooLarge(TooLarge),
    /// A format or a variant of it that the decoders do not read.
    #[error("this image kind is not supported ({0})")]
    Unsupported(String),
    /// The decoder found the data broken.
    #[error("the image data is corrupt ({0})")]
    Corrupt(String),
    /// Anything else the decoder refused.
    #[error("the image cannot be decoded ({0})")]
    Undecodable(String),
    /// A rendition cannot be resized or encoded.
    #[error("{0}")]
    Encode(String),
    /// A rendition cannot be written into the image cache.
    #[error("cannot write {name}: {source}")]
    Write {
        /// The rendition's file name.
        name: String,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
}

/// What made a photo too large.
#[derive(Debug)]
pub enum TooLarge {
    /// Its pixels alone.
    Pixels(u32, u32),
    /// A progressive JPEG's coefficients, held until the last scan: its size and the
    /// bytes they take.
    Coefficients(u32, u32, u64),
    /// The decoder's own limits, in its words.
    Limits(String),
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let max = MAX_DECODE_BYTES / MB;
        match self {
            TooLarge::Pixels(w, h) => write!(f, "{w}×{h} pixels needs more than {max} MB"),
            TooLarge::Coefficients(w, h, bytes) => write!(
                f,
                "a progressive JPEG of {w}×{h} pixels keeps {} MB of coefficients while decoding, and at most {max} MB is allowed",
                bytes / MB
            ),
            TooLarge::Limits(l) => {
                write!(f, "{l}: at most {MAX_SIDE} pixels a side and {max} MB of pixels")
            }
        }
    }
}

impl Error {
    /// What the curator can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Error::TooLarge(_) => "publish a smaller copy (at most about 100 megapixels; a progressive JPEG needs more room than a baseline one), or move it out of the photos folder",
            _ => "check that the photo opens in an image viewer; export it again as a JPEG, or move it out of the photos folder",
        }
    }

    /// The decoder's error, sorted by kind.
    pub(super) fn decoding(e: image::ImageError) -> Error {
        match e {
            image::ImageError::Limits(l) => Error::TooLarge(TooLarge::Limits(l.to_string())),
            image::ImageError::Unsupported(u) => Error::Unsupported(u.to_string()),
            image::ImageError::Decoding(d) => Error::Corrupt(d.to_string()),
            e => Error::Undecodable(e.to_string()),
        }
    }
}
