//! Why a deploy did not happen or did not finish, each with what to do. Whatever git
//! or rsync said is passed through `redact` before it gets here.

use std::path::PathBuf;

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
    HandEdited { output: PathBuf, files: Vec<String> },
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
    Rsync { pass: &'static str, said: String },
    #[error("cannot {what}: {source}")]
    Io {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
}

fn list(files: &[String]) -> String {
    let mut s = files
        .iter()
        .take(NAMED)
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > NAMED {
        s.push_str(&format!(" and {} more", files.len() - NAMED));
    }
    s
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
            Error::Rsync { .. } => "check `dest` and that `ssh` to the host works from this shell; nothing was deleted on the host, and the next deploy sends these files again".into(),
            Error::Io { .. } => return None,
        })
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
