//! Diagnostics: every problem a build finds, with where it is and what to do.
//!
//! Stages never stop at the first problem; they push into a `Diagnostics` list
//! and the CLI prints them all together, errors first.

use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// One problem: what is wrong, where (file, line, column) and what to do about it.
/// Displayed as `error: file:line:col: message` with the hint on the next line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub(crate) severity: Severity,
    /// The file the problem is in, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// One-based line, when the problem has a position.
    pub line: Option<usize>,
    /// One-based column (in characters), when the problem has a position.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub(crate) fn file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub(crate) fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub(crate) fn at_opt(self, pos: Option<(usize, usize)>) -> Self {
        match pos {
            Some((l, c)) => self.at(l, c),
            None => self,
        }
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// An error fails the build; a warning does not (unless `--strict`).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` as editors and terminals link it.
    pub(crate) fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        let mut s = file.display().to_string();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        Some(s)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.location() {
            Some(loc) => write!(f, "{label}: {loc}: {}", self.message)?,
            None => write!(f, "{label}: {}", self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A thread-safe collection, so parallel stages can report as they go.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&self, d: Diagnostic) {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }

    pub(crate) fn extend(&self, ds: impl IntoIterator<Item = Diagnostic>) {
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.extend(ds);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(Diagnostic::is_error)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    /// Everything reported, errors first, then by file and position, so output is stable
    /// whatever order the parallel stages finished in.
    pub(crate) fn into_sorted(self) -> Vec<Diagnostic> {
        let mut items = self.items.into_inner().unwrap_or_else(|e| e.into_inner());
        items.sort_by(|a, b| {
            (a.severity, &a.file, a.line, a.column, &a.message)
                .cmp(&(b.severity, &b.file, b.line, b.column, &b.message))
        });
        items.dedup();
        items
    }
}

/// Print `diags` on stderr, one after another, with the label coloured when stderr is a
/// terminal (and `NO_COLOR` is not set).
pub(crate) fn eprint_all(diags: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diags {
        let text = d.to_string();
        if color {
            let (label, code) = if d.is_error() {
                ("error", "1;31")
            } else {
                ("warning", "1;33")
            };
            eprintln!("\x1b[{code}m{label}\x1b[0m{}", &text[label.len()..]);
        } else {
            eprintln!("{text}");
        }
    }
}

/// The one-based line and column (counted in characters, as editors do) of the byte
/// `offset` in `text`. Lines end at `\n` (a `\r` before it is part of the line end).
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// `path` relative to `root` when it is inside it, for shorter messages.
pub(crate) fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The known word closest to `word`, when it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(&word, &k.to_lowercase()), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["title", "tags", "alt", "caption"];
        assert_eq!(suggest("tgas", keys), Some("tags"));
        assert_eq!(suggest("Titel", keys), Some("title"));
        assert_eq!(suggest("zzzzzz", keys), None);
    }

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "ab\r\ncafé: x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 4), (2, 1));
        assert_eq!(
            line_col(text, text.find(':').unwrap()),
            (2, 5),
            "é is one column"
        );
        assert_eq!(line_col(text, text.len()), (3, 1));
    }

    #[test]
    fn displays_location_and_hint() {
        let d = Diagnostic::error("unknown key `tgas`")
            .file("photos/a.yaml")
            .at(3, 1)
            .hint("did you mean `tags`?");
        assert_eq!(
            d.to_string(),
            "error: photos/a.yaml:3:1: unknown key `tgas`\n  hint: did you mean `tags`?"
        );
    }
}
