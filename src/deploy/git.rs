//! The git target (GitHub or Codeberg Pages): the site as a branch, one commit per
//! deploy, through the system `git`, so the user's credentials, SSH agent and config
//! apply as they do for any push.
//!
//! glyph keeps a work clone of the branch in the target's state folder (never in the
//! output folder) and copies only the files that changed into it. The clone has no
//! remote configured: the address is given to each fetch and push, so a token in it
//! is never written to the cache. When the clone is missing, or its commit is not the
//! one last pushed, it is made again from the remote's branch (one commit deep) and
//! every file is copied, which git then narrows to what really differs.
//!
//! A push the remote rejects (someone else pushed) is an error, and the clone goes
//! back to the last pushed commit; only `--force` overwrites the branch.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::error::last_words;
use super::plan::{emptied_dirs, Plan, Sent};
use super::secret::redact;
use super::Error;
use crate::config::GitTarget;

/// A branch of a repository, as configured.
#[derive(Debug, Clone)]
pub(crate) struct Git {
    /// What `git push` is given: the configured remote, or a local folder made absolute.
    remote: String,
    branch: String,
    cname: Option<String>,
}

/// What one deploy needs to know.
pub(crate) struct Job<'a> {
    pub(crate) public: &'a Path,
    /// Every file the branch is to hold: the build's and `extras`.
    pub(crate) site: &'a BTreeMap<String, Sent>,
    /// The files glyph writes itself (`Git::extras`), with their bytes.
    pub(crate) extras: &'a BTreeMap<String, Vec<u8>>,
    pub(crate) plan: &'a Plan,
    /// The commit last pushed from this machine, which the clone must be at to be
    /// trusted.
    pub(crate) last_commit: Option<&'a str>,
    pub(crate) message: &'a str,
    pub(crate) force: bool,
}

/// What a deploy did.
#[derive(Debug)]
pub(crate) struct Pushed {
    /// The branch's commit now.
    pub(crate) commit: String,
    /// False when the branch already held exactly this site (nothing was committed).
    pub(crate) committed: bool,
}

impl Git {
    pub(crate) fn new(cfg: &GitTarget, root: &Path) -> Git {
        let remote = if is_url(&cfg.remote) {
            cfg.remote.clone()
        } else {
            crate::output::normalise(&root.join(&cfg.remote))
                .to_string_lossy()
                .into_owned()
        };
        Git {
            remote,
            branch: cfg.branch.clone(),
            cname: cfg.cname.clone(),
        }
    }

    /// The target in words, without credentials: for messages and the state's name.
    pub(crate) fn describe(&self) -> String {
        format!("{} (branch {})", redact(&self.remote), self.branch)
    }

    /// Files a Pages host reads that the build does not make: `.nojekyll` (GitHub would
    /// otherwise run the site through Jekyll, which drops folders starting with `_`),
    /// and `CNAME` with the custom domain when one is set. The site's own file of the
    /// same name wins. They are planned like the site's files, so a `cname:` changed
    /// in site.yaml reaches the branch at the next deploy, rebuilt or not.
    pub(crate) fn extras(&self, site: &BTreeMap<String, Sent>) -> BTreeMap<String, Vec<u8>> {
        let cname = self.cname.as_ref().map(|c| format!("{c}\n").into_bytes());
        [(".nojekyll", Some(Vec::new())), ("CNAME", cname)]
            .into_iter()
            .filter(|(name, _)| !site.contains_key(*name))
            .filter_map(|(name, bytes)| Some((name.to_string(), bytes?)))
            .collect()
    }
}

/// A URL or `host:path` rather than a folder: git's rule is a colon before any slash.
fn is_url(remote: &str) -> bool {
    remote.contains("://")
        || remote
            .find(':')
            .is_some_and(|i| i > 1 && !remote[..i].contains('/'))
}

/// Publish `job` on the branch and push it.
pub(crate) fn deploy(g: &Git, work: &Path, job: &Job) -> Result<Pushed, Error> {
    publish(g, work, job).map_err(|e| match e {
        Error::Git { doing, said, .. } => Error::Git {
            doing,
            remote: redact(&g.remote),
            said,
        },
        e => e,
    })
}

fn publish(g: &Git, work: &Path, job: &Job) -> Result<Pushed, Error> {
    let trusted = job.last_commit.is_some() && head(work).as_deref() == job.last_commit;
    if !trusted {
        fresh_clone(g, work)?;
    }
    let before = head(work);
    let result = commit_and_push(g, work, job, trusted, before.as_deref());
    if result.is_err() {
        // Back to the commit last pushed, so the clone stays trusted for the next try.
        match &before {
            Some(c) => {
                let _ = run(
                    git(work).args(["reset", "-q", "--hard", c]),
                    "reset the work clone",
                    None,
                );
            }
            None => {
                let _ = std::fs::remove_dir_all(work);
            }
        }
    }
    result
}

fn commit_and_push(
    g: &Git,
    work: &Path,
    job: &Job,
    trusted: bool,
    before: Option<&str>,
) -> Result<Pushed, Error> {
    if trusted {
        stage_changes(job, work)?;
    } else {
        copy_all(job, work)?;
        run(git(work).args(["add", "-A"]), "stage the site", None)?;
    }
    let staged = !git(work)
        .args(["diff", "--cached", "--quiet"])
        .status()
        .map_err(spawn_error)?
        .success();
    if staged {
        let mut commit = git(work);
        commit.args(["commit", "-q", "-F", "-"]);
        fill_identity(work, &mut commit);
        run(&mut commit, "commit the site", Some(job.message.as_bytes()))?;
    }
    let commit = head(work).ok_or_else(|| Error::Git {
        doing: "commit the site",
        remote: String::new(),
        said: "the branch has no commit (is the site empty?)".into(),
    })?;
    // Nothing new and the branch already there: nothing to push, unless forced.
    if staged || job.force || before.is_none() {
        push(g, work, job.force)?;
    }
    Ok(Pushed {
        commit,
        committed: staged,
    })
}

/// Copy the plan into the trusted clone and stage exactly its paths.
fn stage_changes(job: &Job, work: &Path) -> Result<(), Error> {
    copy_changes(job, work)?;
    if job.plan.is_empty() {
        return Ok(());
    }
    let list = super::nul_list(job.plan.send.iter().chain(&job.plan.delete));
    run(
        git(work).args(["add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul"]),
        "stage the changed files",
        Some(&list),
    )?;
    Ok(())
}

/// A new clone of the branch in `work`, one commit deep; an unborn branch of that name
/// when the remote does not have it yet.
fn fresh_clone(g: &Git, work: &Path) -> Result<(), Error> {
    if work.exists() {
        std::fs::remove_dir_all(work).map_err(Error::io("remove the old work clone"))?;
    }
    std::fs::create_dir_all(work).map_err(Error::io("create the work clone"))?;
    run(
        git(work).args(["init", "-q"]),
        "create the work clone",
        None,
    )?;
    let branch = format!("refs/heads/{}", g.branch);
    run(
        git(work).args(["symbolic-ref", "HEAD", &branch]),
        "create the work clone",
        None,
    )?;
    let listed = run(
        git(work).args(["ls-remote", "--heads", "--", &g.remote, &branch]),
        "reach the remote",
        None,
    )?;
    if !listed.trim().is_empty() {
        run(
            git(work).args([
                "fetch",
                "-q",
                "--depth=1",
                "--no-tags",
                "--",
                &g.remote,
                &branch,
            ]),
            "fetch the branch",
            None,
        )?;
        run(
            git(work).args(["reset", "-q", "--hard", "FETCH_HEAD"]),
            "check out the branch",
            None,
        )?;
    }
    Ok(())
}

/// Copy the plan's files into the clone and delete what it deletes.
fn copy_changes(job: &Job, work: &Path) -> Result<(), Error> {
    for path in &job.plan.send {
        put(job, path, work)?;
    }
    for path in &job.plan.delete {
        match std::fs::remove_file(work.join(path)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::io("delete a file from the work clone")(e))
            }
            _ => {}
        }
    }
    for dir in emptied_dirs(&job.plan.delete, job.site) {
        let _ = std::fs::remove_dir(work.join(dir));
    }
    Ok(())
}

/// Make the clone's files exactly the site's.
fn copy_all(job: &Job, work: &Path) -> Result<(), Error> {
    let mut stale: Vec<PathBuf> = Vec::new();
    for e in walkdir::WalkDir::new(work)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.depth() > 1 || e.file_name() != ".git")
        .flatten()
    {
        let rel = e.path().strip_prefix(work).unwrap_or(e.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !e.file_type().is_dir() && !job.site.contains_key(&rel) {
            stale.push(e.into_path());
        }
    }
    for p in stale {
        std::fs::remove_file(&p).map_err(Error::io("delete a file from the work clone"))?;
    }
    for path in job.site.keys() {
        put(job, path, work)?;
    }
    Ok(())
}

/// Put the site's file at `path` into the clone: the build's, or an extra's bytes.
fn put(job: &Job, path: &str, work: &Path) -> Result<(), Error> {
    let to = work.join(path);
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(Error::io("create a folder in the work clone"))?;
    }
    match job.extras.get(path) {
        Some(bytes) => std::fs::write(&to, bytes).map_err(Error::io("write a Pages file")),
        None => std::fs::copy(job.public.join(path), &to)
            .map(drop)
            .map_err(Error::io("copy a file into the work clone")),
    }
}

fn push(g: &Git, work: &Path, force: bool) -> Result<(), Error> {
    let refspec = format!("HEAD:refs/heads/{}", g.branch);
    let mut cmd = git(work);
    cmd.args(["push", "--porcelain"]);
    if force {
        cmd.arg("--force");
    }
    cmd.args(["--", &g.remote, &refspec]);
    let out = output(&mut cmd, None)?;
    if out.status.success() {
        return Ok(());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    if stdout
        .lines()
        .any(|l| l.starts_with('!') && l.contains("[rejected]"))
    {
        return Err(Error::Rejected {
            remote: redact(&g.remote),
            branch: g.branch.clone(),
        });
    }
    Err(Error::Git {
        doing: "push",
        remote: String::new(),
        said: last_words(&out.stderr),
    })
}

/// The clone's commit, if it has one.
fn head(work: &Path) -> Option<String> {
    if !work.join(".git").is_dir() {
        return None;
    }
    let out = output(
        git(work).args(["rev-parse", "--verify", "-q", "HEAD"]),
        None,
    )
    .ok()?;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !id.is_empty()).then_some(id)
}

/// Commit as the user when git knows who they are, else as "glyph" (a CI machine).
fn fill_identity(work: &Path, cmd: &mut Command) {
    let known = |key: &str| {
        git(work)
            .args(["config", key])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !known("user.name") {
        cmd.env("GIT_AUTHOR_NAME", "glyph")
            .env("GIT_COMMITTER_NAME", "glyph");
    }
    if !known("user.email") {
        cmd.env("GIT_AUTHOR_EMAIL", "glyph@localhost")
            .env("GIT_COMMITTER_EMAIL", "glyph@localhost");
    }
}

/// `git` working on the clone, whatever repository the command was started in (a
/// hook's `GIT_DIR` would otherwise win), with paths taken literally, in English (the
/// push's rejection is read from its output).
fn git(work: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(work).arg("--literal-pathspecs");
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_PREFIX",
    ] {
        c.env_remove(var);
    }
    c.env("LC_ALL", "C");
    c
}

/// Run and return stdout; a failure carries git's own words, credentials taken out.
fn run(cmd: &mut Command, doing: &'static str, stdin: Option<&[u8]>) -> Result<String, Error> {
    let out = output(cmd, stdin)?;
    if !out.status.success() {
        return Err(Error::Git {
            doing,
            remote: String::new(),
            said: last_words(&out.stderr),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn output(cmd: &mut Command, stdin: Option<&[u8]>) -> Result<std::process::Output, Error> {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(spawn_error)?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(bytes).map_err(Error::io("talk to git"))?;
    }
    child.wait_with_output().map_err(Error::io("run git"))
}

fn spawn_error(e: std::io::Error) -> Error {
    Error::spawn("git", "a git remote", "run git")(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_told_from_addresses() {
        for url in [
            "https://github.com/me/site.git",
            "git@codeberg.org:me/pages.git",
            "ssh://git@host/x",
            "file:///srv/x.git",
        ] {
            assert!(is_url(url), "{url}");
        }
        for dir in ["../pages.git", "/srv/git/site.git", "sites/a:b", "C:/x"] {
            assert!(!is_url(dir), "{dir}");
        }
    }
}
