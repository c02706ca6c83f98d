//! Why the site cannot be written where it was asked to go, with the hint that fits.

use std::path::{Path, PathBuf};

use crate::diag::{rel, Diagnostic};

const OWN_FOLDER: &str = "set `output_dir` (or --output) to a folder of its own, such as public";

/// Why the output folder is refused or cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Replacing the output would delete the curator's work.
    #[error("the output folder {} would overwrite {what}", .output.display())]
    Overwrites {
        /// The output folder as given.
        output: PathBuf,
        /// Which of the curator's folders, in words.
        what: &'static str,
    },
    /// The output is inside a folder the theme reads.
    #[error("the output folder {} is inside {sub}/", .output.display())]
    InsideSource {
        /// The output folder as given.
        output: PathBuf,
        /// `templates`, `static` or `themes`.
        sub: &'static str,
    },
    /// A folder with content that glyph did not make.
    #[error("the output folder {} already exists and was not made by glyph; building would replace everything in it", .0.display())]
    NotOurs(PathBuf),
    /// A file where the folder should be.
    #[error("the output {} is a file, not a folder", .0.display())]
    IsFile(PathBuf),
    /// The file system failed while writing or swapping the site.
    #[error("cannot {what}: {source}")]
    Io {
        /// What was being done, in words ("write the site").
        what: &'static str,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// What the curator can do about it.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Overwrites { .. } | Error::InsideSource { .. } => Some(OWN_FOLDER),
            Error::NotOurs(_) => Some("choose a new or empty folder for --output (or output_dir), or delete this one yourself if you are sure"),
            Error::IsFile(_) | Error::Io { .. } => None,
        }
    }

    /// As a diagnostic of the site at `root` writing to `target`: a refusal points at
    /// the setting, a failure at the folder.
    pub fn diagnostic(&self, root: &Path, target: &Path) -> Diagnostic {
        let d = Diagnostic::error(self.to_string());
        let d = match self {
            Error::Overwrites { .. } => d.file(crate::config::CONFIG_FILE),
            Error::Io { .. } => d.file(rel(root, target)),
            _ => d,
        };
        match self.hint() {
            Some(h) => d.hint(h),
            None => d,
        }
    }
}
