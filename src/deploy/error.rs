//! Why a deploy did not happen or did not finish, each with what to do. Whatever git
//! or rsync said is passed through `redact` (`last_words`) before it gets here.

use std::path::PathBuf;

use super::secret::redact;
use crate::config::CONFIG_FILE;
use crate::diag::Diagnostic;

/// How many hand-edited files a refusal names.
const NAMED: usize = 5;

#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("there is no `deploy:` section, so nowhere to deploy to")]
    NoTarget,
    #[error("there is no build of {} to deploy", .0.display())]
    NoBuild(PathBuf),
    #[error("the last build of {} failed, so it still holds an older site", .0.display())]
    BuildFailed(PathBuf),
    #[error("{} was changed after the last build: {}", .output.display(), list(.files))]
    HandEdited {
        output: PathBuf,
        files: Vec<(String, Edit)>,
    },
    #[error("`{program}` is not installed (deploying to {target} uses it)")]
    Missing {
        program: &'static str,
        target: &'static str,
    },
    #[error("git could not {doing} ({remote}): {said}")]
    Git {
        doing: &'static str,
        /// The remote, credentials taken out; filled in by `git::deploy`.
        remote: String,
        said: String,
    },
    #[error("the push to {remote} was rejected: the branch `{branch}` has commits this machine did not make (someone else deployed since)")]
    Rejected { remote: String, branch: String },
    #[error("another `glyph deploy` to {0} is running")]
    Busy(String),
    #[error("rsync failed while sending the {pass}: {said}")]
    Rsync {
        pass: &'static str,
        /// Whether it was deleting, so files may be gone from the host already.
        deleting: bool,
        said: String,
    },
    #[error("cannot {what}: {source}")]
    Io {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
}

/// How a file of the output folder differs from what the build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edit {
    Edited,
    Added,
    Deleted,
}

impl Edit {
    fn word(self) -> &'static str {
        match self {
            Edit::Edited => "edited",
            Edit::Added => "added",
            Edit::Deleted => "deleted",
        }
    }
}

fn list(files: &[(String, Edit)]) -> String {
    let mut s = files
        .iter()
        .take(NAMED)
        .map(|(f, edit)| format!("`{f}` ({})", edit.word()))
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > NAMED {
        s.push_str(&format!(" and {} more", files.len() - NAMED));
    }
    s
}

/// The last lines a tool printed, as one line, credentials taken out: what to show of
/// git's or rsync's words (git's `hint:` lines are about its own commands, not glyph's).
pub(crate) fn last_words(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("hint:"))
        .collect();
    match lines[lines.len().saturating_sub(3)..].join(" / ") {
        s if s.is_empty() => "it gave no reason".into(),
        s => redact(&s),
    }
}

impl Error {
    pub(crate) fn io(what: &'static str) -> impl FnOnce(std::io::Error) -> Error {
        move |source| Error::Io { what, source }
    }

    pub(crate) fn hint(&self) -> Option<String> {
        Some(match self {
            Error::NoTarget => "add one, such as `deploy: { git: { remote: git@github.com:you/glyphs.git, branch: pages } }` or `deploy: { rsync: { dest: user@host:/var/www/glyphs/ } }` (README, \"Publishing\")".into(),
            Error::NoBuild(_) => "run `glyph build` first, or `glyph build --deploy` to build and deploy in one go".into(),
            Error::BuildFailed(_) => "fix the errors `glyph build` reported and build again; `glyph build --deploy` deploys once it succeeds".into(),
            Error::HandEdited { .. } => "run `glyph build` to make the folder what the build made again; changes belong in photos/, content/, templates/ or static/, which every build publishes".into(),
            Error::Missing { program, .. } => format!("install it (Debian and Ubuntu: `apt-get install {program}`)"),
            Error::Git { .. } => "check the remote's address and that `git push` to it works from this shell (credentials, SSH key)".into(),
            Error::Rejected { branch, .. } => format!("look at who pushed (`git log` of `{branch}`); `glyph deploy --force` replaces what is there with this site"),
            Error::Busy(_) => "wait for it to finish, then deploy again (it may have sent this build already)".into(),
            Error::Rsync { deleting: false, .. } => "check `dest` and that `ssh` to the host works from this shell; nothing was deleted on the host, and the next deploy sends these files again".into(),
            Error::Rsync { deleting: true, .. } => "check `dest` and that `ssh` to the host works from this shell; every new file is on the host, and the next deploy finishes the deletions".into(),
            Error::Io { .. } => return None,
        })
    }

    /// `program` could not be started (to do `what`): not installed, or another reason.
    pub(crate) fn spawn(
        program: &'static str,
        target: &'static str,
        what: &'static str,
    ) -> impl FnOnce(std::io::Error) -> Error {
        move |source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::Missing { program, target },
            _ => Error::Io { what, source },
        }
    }

    pub(crate) fn diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::error(self.to_string());
        let d = match self {
            Error::NoTarget => d.file(CONFIG_FILE),
            _ => d,
        };
        match self.hint() {
            Some(h) => d.hint(h),
            None => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_edits_say_what_happened_to_each_file() {
        let e = Error::HandEdited {
            output: "public".into(),
            files: vec![
                ("a.html".into(), Edit::Added),
                ("b.html".into(), Edit::Edited),
                ("c.html".into(), Edit::Deleted),
            ],
        };
        assert_eq!(
            e.to_string(),
            "public was changed after the last build: `a.html` (added), `b.html` (edited), `c.html` (deleted)"
        );
    }

    #[test]
    fn a_failed_rsync_says_whether_deleting_had_begun() {
        let failed = |deleting| Error::Rsync {
            pass: "images and assets",
            deleting,
            said: "x".into(),
        };
        assert!(failed(false)
            .hint()
            .unwrap()
            .contains("nothing was deleted"));
        let after = failed(true).hint().unwrap();
        assert!(!after.contains("nothing was deleted"), "{after}");
        assert!(after.contains("finishes the deletions"), "{after}");
    }

    #[test]
    fn last_words_are_the_last_three_lines_without_hints_or_credentials() {
        let said = b"one\ntwo\nhint: do this\nthree\nfatal: 'https://me:tok@h/x' failed\n\n";
        assert_eq!(
            last_words(said),
            "two / three / fatal: 'https://***@h/x' failed"
        );
        assert_eq!(last_words(b"\n"), "it gave no reason");
    }
}
