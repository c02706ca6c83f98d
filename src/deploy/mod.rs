//! `glyph deploy`: the last successful build, published to the target in `site.yaml`'s
//! `deploy:` section (a git branch for Pages hosting, or a folder over SSH), sending
//! only what changed since the last deploy there.
//!
//! What changed comes from the build's record of the output folder
//! (`output::published`): every file's size and content hash, which the build knew as
//! it wrote the bytes, so a deploy reads no file of the site to decide. It is compared
//! with the record of what was last sent to that target (`state`). A deploy refuses a
//! folder with no build, one whose last build failed, and one changed by hand since.
//!
//! `plan` decides what to send and in which order; `git` and `rsync` send it. No
//! credential in a remote's address reaches the output, the cache or a message
//! (`secret`).

mod error;
mod git;
mod plan;
mod rsync;
mod secret;
mod state;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{Overrides, Site, CONFIG_FILE};
use crate::diag::Diagnostic;
use crate::output::{self, published::Published};
use error::Edit;
pub(crate) use error::Error;
pub(crate) use plan::{human_bytes, summary};
use plan::{Plan, Sent, SignChanges};
pub(crate) use rsync::Line;
use state::State;

/// What to deploy and how.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub(crate) root: PathBuf,
    pub(crate) overrides: Overrides,
    /// Say what would be sent, and send nothing.
    pub(crate) dry_run: bool,
    /// git: overwrite the branch even if someone else pushed. rsync: send every file.
    pub(crate) force: bool,
}

/// What a deploy did (or, with `--dry-run`, would do).
#[derive(Debug)]
pub(crate) struct Report {
    /// The target in words, without credentials.
    pub(crate) target: String,
    pub(crate) plan: Plan,
    pub(crate) signs: SignChanges,
    /// The headline of the commit message: which signs went live.
    pub(crate) headline: String,
    /// Warnings (a remote with a token in `site.yaml`).
    pub(crate) warnings: Vec<Diagnostic>,
    /// Every file the target is to hold, by path: the build's, and `extras`.
    files: BTreeMap<String, Sent>,
    /// Files glyph writes for the target, which the build did not make (a Pages
    /// host's `.nojekyll` and `CNAME`), with their bytes.
    extras: BTreeMap<String, Vec<u8>>,
    /// What was done: `None` when nothing was sent (nothing to send, or `--dry-run`).
    pub(crate) done: Option<Done>,
}

impl Report {
    /// The size of a file of the build.
    pub(crate) fn size(&self, path: &str) -> u64 {
        self.files.get(path).map_or(0, |s| s.size)
    }
}

/// What the target's tool did.
#[derive(Debug)]
pub(crate) enum Done {
    /// The branch's commit, and whether this deploy made it.
    Git { commit: String, committed: bool },
    /// Every file rsync reported, in order.
    Rsync(Vec<Line>),
}

/// The configured target.
enum Target {
    Git(git::Git),
    Rsync(rsync::Rsync),
}

impl Target {
    fn of(site: &Site) -> Result<Target, Error> {
        let config = site.config.deploy.as_ref().ok_or(Error::NoTarget)?;
        match (&config.git, &config.rsync) {
            (Some(g), _) => Ok(Target::Git(git::Git::new(g, &site.root))),
            (None, Some(r)) => Ok(Target::Rsync(rsync::Rsync::new(r, &site.root))),
            (None, None) => Err(Error::NoTarget),
        }
    }

    fn describe(&self) -> String {
        match self {
            Target::Git(g) => format!("git {}", g.describe()),
            Target::Rsync(r) => r.describe(),
        }
    }

    /// What the target gets besides the build's `site`.
    fn extras(&self, site: &BTreeMap<String, Sent>) -> BTreeMap<String, Vec<u8>> {
        match self {
            Target::Git(g) => g.extras(site),
            Target::Rsync(_) => BTreeMap::new(),
        }
    }
}

/// Deploy the site at `opts.root`. `each` hears of every file rsync sends or deletes,
/// as it does.
/// Warnings come with the report, or after the error.
pub(crate) fn run(opts: &Options, each: &mut dyn FnMut(&Line)) -> Result<Report, Vec<Diagnostic>> {
    let site = Site::load(&opts.root, &opts.overrides)?;
    let warnings = warnings(&site);
    match deploy(&site, opts, each) {
        Ok(report) => Ok(Report { warnings, ..report }),
        Err(e) => Err(std::iter::once(e.diagnostic()).chain(warnings).collect()),
    }
}

fn deploy(site: &Site, opts: &Options, each: &mut dyn FnMut(&Line)) -> Result<Report, Error> {
    let target = Target::of(site)?;
    let public = output::normalise(&site.output);
    let published = last_build(site, &public)?;
    let name = target.describe();
    let dir = state::dir(&site.cache, &name);
    let _lock = if opts.dry_run {
        None
    } else {
        let output = output::hold(&public).map_err(Error::io("hold the output folder"))?;
        Some((lock(&dir, &name)?, output))
    };
    let mut state = State::load(&dir, &name);
    let signs_now = state::signs_of(&public);
    let mut report = report(&target, &published, &state, &signs_now, opts.force);
    let git_force = opts.force && matches!(target, Target::Git(_));
    if opts.dry_run || report.plan.is_empty() && !git_force {
        return Ok(report);
    }
    let done = send(
        &target, &public, &report, &mut state, &dir, opts.force, each,
    )?;
    state.files = report.files.clone();
    state.signs = signs_now;
    state
        .save(&dir)
        .map_err(Error::io("save the deploy record"))?;
    report.done = Some(done);
    Ok(report)
}

/// What to send to a target that holds what `state` says, and the words for it.
/// `force` makes an rsync target get every file again.
fn report(
    target: &Target,
    published: &Published,
    state: &State,
    signs_now: &BTreeMap<String, plan::SignSeen>,
    force: bool,
) -> Report {
    let mut files: BTreeMap<String, Sent> = published
        .files
        .iter()
        .filter(|(path, _)| *path != output::MARKER)
        .map(|(path, e)| (path.clone(), Sent::of(e)))
        .collect();
    let extras = target.extras(&files);
    files.extend(
        extras
            .iter()
            .map(|(path, b)| (path.clone(), Sent::bytes(b))),
    );
    let changed = plan::plan(&files, &state.files);
    // The signs are told from what changed, whatever is sent.
    let signs = plan::sign_changes(&changed, &state.signs, signs_now, &state.files);
    let plan = match target {
        Target::Rsync(_) if force => plan::resend_all(changed, &files),
        _ => changed,
    };
    Report {
        target: target.describe(),
        headline: plan::headline(&signs, &plan),
        warnings: Vec::new(),
        plan,
        signs,
        files,
        extras,
        done: None,
    }
}

/// Send the report's plan with the target's tool; a git target's commit goes into
/// `state`.
fn send(
    target: &Target,
    public: &Path,
    report: &Report,
    state: &mut State,
    dir: &Path,
    force: bool,
    each: &mut dyn FnMut(&Line),
) -> Result<Done, Error> {
    match target {
        Target::Git(g) => {
            let message = plan::commit_message(&report.signs, &report.plan);
            let job = git::Job {
                public,
                site: &report.files,
                extras: &report.extras,
                plan: &report.plan,
                last_commit: state.commit.as_deref(),
                message: &message,
                force,
            };
            let pushed = git::deploy(g, &dir.join("work"), &job)?;
            state.commit = Some(pushed.commit.clone());
            Ok(Done::Git {
                commit: pushed.commit,
                committed: pushed.committed,
            })
        }
        Target::Rsync(r) => Ok(Done::Rsync(rsync::deploy(r, public, &report.plan, each)?)),
    }
}

/// `paths` as a tool reads them with `--from0` or `--pathspec-file-nul`: each ended by
/// a NUL, so a name may hold any other character.
fn nul_list<'a>(paths: impl IntoIterator<Item = &'a String>) -> Vec<u8> {
    paths
        .into_iter()
        .flat_map(|p| p.bytes().chain([0]))
        .collect()
}

/// Held while a deploy runs, so two deploys to one target never share the work clone
/// or the record. Where the file system has no locks, deploys go on without one.
fn lock(dir: &Path, target: &str) -> Result<std::fs::File, Error> {
    std::fs::create_dir_all(dir).map_err(Error::io("create the deploy record's folder"))?;
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("lock"))
        .map_err(Error::io("lock the deploy record"))?;
    match file.try_lock() {
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy(target.to_string())),
        _ => Ok(file),
    }
}

/// The record of the last build of `public`, if it succeeded and the folder is still
/// what it made.
fn last_build(site: &Site, public: &Path) -> Result<Published, Error> {
    let shown = || crate::diag::rel(&site.root, &site.output);
    if output::published::last_build_failed(&site.cache, public) {
        return Err(Error::BuildFailed(shown()));
    }
    let published = Published::read(&site.cache, public)
        .filter(|_| public.join(output::MARKER).is_file())
        .ok_or_else(|| Error::NoBuild(shown()))?;
    let edited = published.hand_edits();
    if !edited.is_empty() {
        let files = edited
            .into_iter()
            .map(|path| {
                let edit = if !published.files.contains_key(&path) {
                    Edit::Added
                } else if std::fs::symlink_metadata(public.join(&path)).is_err() {
                    Edit::Deleted
                } else {
                    Edit::Edited
                };
                (path, edit)
            })
            .collect();
        return Err(Error::HandEdited {
            output: shown(),
            files,
        });
    }
    Ok(published)
}

/// A token written into `site.yaml`, which is usually in a repository of its own.
fn warnings(site: &Site) -> Vec<Diagnostic> {
    let git = site.config.deploy.as_ref().and_then(|d| d.git.as_ref());
    if !git.is_some_and(|g| secret::has_credentials(&g.remote)) {
        return Vec::new();
    }
    let at = std::fs::read_to_string(site.root.join(CONFIG_FILE))
        .ok()
        .and_then(|text| crate::yaml::path_position(&text, "deploy.git.remote"));
    vec![Diagnostic::warning(
        "`deploy.git.remote` holds a user name or token, and anyone who can read site.yaml can read it",
    )
    .file(CONFIG_FILE)
    .at_opt(at)
    .hint("leave it out of the address and let git find it: a credential helper (`git config credential.helper`), an SSH key, or in CI a token in the job's git config (README, \"Publishing\")")]
}
