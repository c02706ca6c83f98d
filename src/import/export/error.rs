//! What can go wrong reading an export, typed, with the file and position where one
//! exists, so the CLI can print `file:line:col: message` and a hint like every other
//! problem glyph reports.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub(crate) enum ExportError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not an Instagram export, a WordPress export or a folder of photos", path.display())]
    NotAnExport { path: PathBuf },
    #[error("{} is Instagram's HTML export, which cannot be read reliably", path.display())]
    HtmlExport { path: PathBuf },
    #[error("invalid JSON: {reason}")]
    Json {
        file: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("invalid XML: {source}")]
    Xml {
        file: PathBuf,
        line: usize,
        column: usize,
        source: roxmltree::Error,
    },
    #[error("not a WordPress export (WXR): {why}")]
    NotWxr { file: PathBuf, why: &'static str },
    #[error("cannot read the zip archive {}: {source}", path.display())]
    Zip {
        path: PathBuf,
        source: zip::result::ZipError,
    },
    #[error("{} holds an entry whose path leaves the archive: {entry}", path.display())]
    UnsafeEntry { path: PathBuf, entry: String },
    #[error("{entry} is not in the export")]
    MissingMedia { export: PathBuf, entry: String },
    #[error("{entry} is {size} bytes, more than the {limit} read from an export")]
    TooLarge {
        export: PathBuf,
        entry: String,
        size: u64,
        limit: u64,
    },
    #[error("{url} cannot be read: no uploads folder was given")]
    NoMediaDir { url: String },
}

impl ExportError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        ExportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// serde_json's message ends with its own " at line L column C", which the
    /// diagnostic's location already says.
    pub(crate) fn json(file: PathBuf, e: &serde_json::Error) -> Self {
        let text = e.to_string();
        let reason = match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        ExportError::Json {
            file,
            line: e.line(),
            column: e.column(),
            reason,
        }
    }

    pub(crate) fn xml(file: PathBuf, source: roxmltree::Error) -> Self {
        let pos = source.pos();
        ExportError::Xml {
            file,
            line: pos.row as usize,
            column: pos.col as usize,
            source,
        }
    }

    /// The file the problem is in, when there is one to name.
    pub(crate) fn file(&self) -> Option<&Path> {
        match self {
            ExportError::Io { path, .. }
            | ExportError::NotAnExport { path }
            | ExportError::HtmlExport { path }
            | ExportError::Zip { path, .. }
            | ExportError::UnsafeEntry { path, .. } => Some(path),
            ExportError::Json { file, .. }
            | ExportError::Xml { file, .. }
            | ExportError::NotWxr { file, .. } => Some(file),
            ExportError::MissingMedia { export, .. } | ExportError::TooLarge { export, .. } => {
                Some(export)
            }
            ExportError::NoMediaDir { .. } => None,
        }
    }

    pub(crate) fn position(&self) -> Option<(usize, usize)> {
        match self {
            ExportError::Json { line, column, .. } | ExportError::Xml { line, column, .. } => {
                Some((*line, *column))
            }
            _ => None,
        }
    }

    /// What the user can do about it.
    pub(crate) fn hint(&self) -> Option<&'static str> {
        Some(match self {
            ExportError::Io { .. } => "check that the path exists and can be read",
            ExportError::NotAnExport { .. } => {
                "give the Instagram export (its folder or .zip), the WordPress export \
                 (.xml from Tools → Export) or a folder of photos"
            }
            ExportError::HtmlExport { .. } => {
                "request the export again from Instagram (Accounts Centre → Your information \
                 and permissions → Download your information) and choose the JSON format"
            }
            ExportError::Json { .. } => {
                "the export file is damaged: download the export again from Instagram"
            }
            ExportError::Xml { .. } => {
                "the export file is damaged or cut short: export it again from WordPress \
                 (Tools → Export)"
            }
            ExportError::NotWxr { .. } => "export the blog from WordPress with Tools → Export",
            ExportError::Zip { .. } => {
                "the archive is damaged or incomplete: download it again, or unzip it and \
                 give the folder"
            }
            ExportError::UnsafeEntry { .. } => {
                "this archive was not made by Instagram and is refused: download the export \
                 again"
            }
            ExportError::MissingMedia { .. } => {
                "the export is incomplete: copy the missing file into it, or download it again"
            }
            ExportError::TooLarge { .. } => "this file is too large to be a photo or a post list",
            ExportError::NoMediaDir { .. } => {
                "give the blog's copied wp-content/uploads folder as the media folder"
            }
        })
    }
}

impl From<&ExportError> for Diagnostic {
    fn from(e: &ExportError) -> Self {
        let mut d = Diagnostic::error(e.to_string()).at_opt(e.position());
        if let Some(file) = e.file() {
            d = d.file(file);
        }
        match e.hint() {
            Some(h) => d.hint(h),
            None => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_keeps_position_out_of_the_message() {
        let e = serde_json::from_str::<serde_json::Value>("[\n  {\"a\": }\n]").unwrap_err();
        let e = ExportError::json("posts_1.json".into(), &e);
        let d = Diagnostic::from(&e);
        assert_eq!((d.line, d.column), (Some(2), Some(9)));
        assert_eq!(d.message, "invalid JSON: expected value");
        assert!(d.hint.is_some());
    }
}
