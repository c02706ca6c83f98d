//! The command line (clap): parses arguments, runs the pipeline, prints what happened.
//!
//! Exit codes: 0 success, 1 the site has errors, 2 bad command line (clap's own).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::Overrides;
use crate::deploy;
use crate::diag;
use crate::import::{ImportOptions, Kind, Report};
use crate::pipeline::{self, BuildOptions, BuildOutcome, Target};
use crate::serve::{self, ServeOptions};
use crate::util::{one_or_many, plural};

/// The command line, parsed by clap (`Cli::parse()`); `run` carries it out.
// `long_about = None`: this comment is for the code, not for `--help`.
#[derive(Debug, Parser)]
#[command(
    name = "glyph",
    version,
    about = "Build the Toilet Glyph Project's photo archive into a static site",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Preview the site: build it, serve it on http://127.0.0.1:1111, rebuild and
    /// reload the browser on every save.
    Serve(ServeArgs),
    /// Check the archive: everything the build validates, plus the curator's lint
    /// (missing alt text, tags or location; likely tag typos; identical photos; broken
    /// links). Writes nothing.
    Check(CheckArgs),
    /// Create a new archive in DIR: site.yaml, photos/, an about page and the default
    /// theme.
    Init(InitArgs),
    /// Bring photos into photos/<year>/ with readable names and drafted sidecars, from
    /// a folder of photos (date, place, city and country from EXIF and GPS) or from an
    /// Instagram or WordPress export (one post, one sign; the place from the caption).
    /// Photos already in the archive are skipped; no file is ever overwritten.
    Import(ImportArgs),
    /// Publish the last build to the target in site.yaml's `deploy:` section (a git
    /// branch for Pages hosting, or a folder over SSH), sending only what changed
    /// since the last deploy there.
    Deploy(DeployArgs),
}

#[derive(Debug, Args)]
pub(crate) struct DeployArgs {
    /// The site's folder (where site.yaml is).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// The folder to deploy, when the site was built with --output.
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    /// Say what would be sent, and send nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// git: push even when someone else pushed to the branch, replacing their commits.
    /// rsync: send every file again.
    #[arg(long)]
    pub(crate) force: bool,
    /// List every file sent or deleted.
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// A folder of photos (searched at any depth), an Instagram export (its folder or
    /// .zip) or a WordPress export (.xml); which one is told by its content.
    pub(crate) path: PathBuf,
    /// The site's folder (where site.yaml is).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// What PATH is, instead of telling it by its content.
    #[arg(long, value_enum)]
    pub(crate) from: Option<From>,
    /// WordPress: the blog's copied uploads folder (wp-content/uploads, or the folder
    /// above it); by default the one beside the .xml.
    #[arg(long, value_name = "DIR")]
    pub(crate) media: Option<PathBuf>,
    /// Exports: publish the imported signs (no `draft: true`); they were public already.
    #[arg(long)]
    pub(crate) publish: bool,
    /// Folders: move the photos instead of copying them: each original is deleted once
    /// its copy is written and verified. Exports are never changed.
    #[arg(long = "move")]
    pub(crate) move_files: bool,
    /// Print what would be done, and change nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

/// What `glyph import` is given.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum From {
    /// Instagram's "Download your information" export, JSON format (folder or .zip).
    Instagram,
    /// A WordPress export (WXR, Tools → Export).
    Wordpress,
    /// A folder of photos.
    Folder,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The site's folder (where site.yaml is).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// The address to listen on. Anything but loopback shows the preview to your
    /// network.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: IpAddr,
    /// The port; when it is taken, the next free one is used. 0 lets the system pick.
    #[arg(long, default_value_t = 1111)]
    pub(crate) port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub(crate) open: bool,
    /// Include signs and pages marked `draft: true` (on by default in the preview;
    /// `--drafts=false` hides them).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub(crate) drafts: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The site's folder (where site.yaml is).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Check signs and pages marked `draft: true` too.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    pub(crate) strict: bool,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The folder to create (it must not exist, or be empty).
    pub(crate) dir: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// The site's folder (where site.yaml is).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Where to write the site, instead of site.yaml's output_dir.
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    /// The address the site will be published at, instead of site.yaml's base_url.
    #[arg(long)]
    pub(crate) base_url: Option<String>,
    /// Include signs and pages marked `draft: true`.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Deploy the site when the build succeeded (as `glyph deploy` does).
    #[arg(long)]
    pub(crate) deploy: bool,
}

/// Run the command and say how it went: 0 success, 1 the site has errors.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => build(args),
        Command::Serve(args) => serve(args),
        Command::Check(args) => check(args),
        Command::Init(args) => init(args),
        Command::Import(args) => import(args),
        Command::Deploy(args) => deploy(args),
    }
}

fn import(args: ImportArgs) -> ExitCode {
    let opts = ImportOptions {
        root: args.root,
        path: args.path,
        from: args.from.map(|f| match f {
            From::Instagram => Kind::Instagram,
            From::Wordpress => Kind::WordPress,
            From::Folder => Kind::Folder,
        }),
        media: args.media,
        move_files: args.move_files,
        publish: args.publish,
        dry_run: args.dry_run,
    };
    match crate::import::run(&opts) {
        Ok(Report::Folder(s)) => {
            let verb = if opts.dry_run {
                "Would import"
            } else {
                "Imported"
            };
            println!(
                "{verb} {}, {} skipped, {}.{}",
                plural(s.imported, "photo"),
                plural(s.duplicates, "duplicate"),
                plural(s.problems, "problem"),
                if opts.dry_run {
                    " Nothing was changed (--dry-run)."
                } else {
                    ""
                }
            );
            exit_code(s.problems == 0)
        }
        Ok(Report::Export(s)) => {
            for line in s.lines() {
                println!("{line}");
            }
            exit_code(!s.failed())
        }
        Err(d) => {
            diag::eprint_all(&[d]);
            ExitCode::from(1)
        }
    }
}

/// 0 when it went well, 1 when something could not be read or written.
fn exit_code(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let opts = ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        open: args.open,
        drafts: args.drafts,
    };
    match serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => {
            diag::eprint_all(&[d]);
            ExitCode::from(1)
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let opts = BuildOptions {
        root: args.root,
        overrides: Overrides {
            drafts: args.drafts,
            ..Overrides::default()
        },
        target: Target::Nothing,
        strict: args.strict,
        lint: true,
        progress: true,
        ..BuildOptions::default()
    };
    let outcome = pipeline::build(&opts);
    diag::eprint_all(&outcome.diagnostics);
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = outcome.diagnostics.len() - errors;
    let counts = [nonzero(errors, "error"), nonzero(warnings, "warning")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    match &outcome.report {
        Some(r) => {
            let verdict = if warnings == 0 { "all good" } else { &counts };
            eprintln!(
                "Checked {} signs{} and {} pages: {verdict}.",
                r.signs,
                drafts_note(r.drafts_left_out),
                r.pages
            );
            ExitCode::SUCCESS
        }
        None => {
            let strict = if errors == 0 { " (--strict)" } else { "" };
            eprintln!("Check failed: {counts}{strict}.");
            ExitCode::from(1)
        }
    }
}

fn init(args: InitArgs) -> ExitCode {
    match crate::init::init(&args.dir) {
        Ok(files) => {
            let dir = args.dir.display();
            eprintln!(
                "Created a new archive in {dir} ({} files). Next:\n  \
                 put photos in {dir}/photos/ (or `glyph import FOLDER --root {dir}`)\n  \
                 glyph serve --root {dir}    preview it while you work\n  \
                 glyph build --root {dir}    make the site in {dir}/public/\n  \
                 glyph deploy --root {dir}   publish it where site.yaml's `deploy:` says\n  \
                 (on GitHub, .github/workflows/pages.yml builds and deploys at every push)",
                files.len(),
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            diag::eprint_all(&[d]);
            ExitCode::from(1)
        }
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let opts = BuildOptions {
        root: args.root,
        overrides: Overrides {
            output_dir: args.output,
            base_url: args.base_url,
            drafts: args.drafts,
        },
        strict: args.strict,
        progress: true,
        ..BuildOptions::default()
    };
    let outcome = pipeline::build(&opts);
    diag::eprint_all(&outcome.diagnostics);
    let code = summarise(&outcome, args.strict);
    if !args.deploy || !outcome.ok() {
        return code;
    }
    publish(
        &deploy::Options {
            root: opts.root,
            overrides: opts.overrides,
            ..deploy::Options::default()
        },
        false,
    )
}

fn deploy(args: DeployArgs) -> ExitCode {
    let opts = deploy::Options {
        root: args.root,
        overrides: Overrides {
            output_dir: args.output,
            ..Overrides::default()
        },
        dry_run: args.dry_run,
        force: args.force,
    };
    publish(&opts, args.verbose)
}

/// Deploy and say what was sent; with `verbose`, each file as it goes.
fn publish(opts: &deploy::Options, verbose: bool) -> ExitCode {
    let mut each = |l: &deploy::Line| {
        if verbose {
            print_file(&l.op, l.bytes, &l.path);
        }
    };
    let report = match deploy::run(opts, &mut each) {
        Ok(r) => r,
        Err(ds) => {
            diag::eprint_all(&ds);
            return ExitCode::from(1);
        }
    };
    diag::eprint_all(&report.warnings);
    let plan = &report.plan;
    if plan.is_empty() && report.done.is_none() {
        eprintln!("Nothing to send: {} already has this build.", report.target);
        return ExitCode::SUCCESS;
    }
    // rsync told of each file as it went; otherwise they are the plan's.
    if verbose && !matches!(report.done, Some(deploy::Done::Rsync(_))) {
        for path in &plan.send {
            print_file("send", report.size(path), path);
        }
        for path in &plan.delete {
            print_file("del.", 0, path);
        }
    }
    eprintln!("{}", deployed(&report));
    ExitCode::SUCCESS
}

/// One line of `glyph deploy -v`: what was done to a file, and its bytes.
fn print_file(op: &str, bytes: u64, path: &str) {
    println!("{op:<5} {bytes:>10} {path}");
}

/// The closing line of a deploy.
fn deployed(report: &deploy::Report) -> String {
    let what = format!("{}; {}", deploy::summary(&report.plan), report.headline);
    match &report.done {
        None => format!(
            "Would send to {}: {what}. Nothing was sent (--dry-run).",
            report.target
        ),
        Some(deploy::Done::Git { commit, committed }) => {
            let short = &commit[..commit.len().min(12)];
            let how = if *committed {
                format!("commit {short}")
            } else {
                format!("the branch already held this site at {short}")
            };
            format!("Deployed to {}: {what} ({how}).", report.target)
        }
        Some(deploy::Done::Rsync(lines)) => {
            let network: u64 = lines.iter().map(|l| l.bytes).sum();
            format!(
                "Deployed to {}: {what} ({} over the network).",
                report.target,
                deploy::human_bytes(network)
            )
        }
    }
}

fn summarise(outcome: &BuildOutcome, strict: bool) -> ExitCode {
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = outcome.diagnostics.len() - errors;
    match &outcome.report {
        Some(r) => {
            let out = r
                .output
                .as_ref()
                .map(|p| {
                    if r.output_changed {
                        format!(" into {}", p.display())
                    } else {
                        format!(" ({} is up to date)", p.display())
                    }
                })
                .unwrap_or_default();
            eprintln!(
                "Built {}{}, {}{out} in {:.2}s ({} images made, {} from the cache){}",
                crate::util::plural(r.signs, "sign"),
                drafts_note(r.drafts_left_out),
                crate::util::plural(r.pages, "page"),
                r.elapsed.as_secs_f64(),
                r.images_made,
                r.images_cached.saturating_sub(r.images_made),
                nonzero(warnings, "warning")
                    .map(|w| format!(", {w}"))
                    .unwrap_or_default(),
            );
            ExitCode::SUCCESS
        }
        None => {
            let what = if strict && errors == 0 {
                format!("{} (--strict)", plural(warnings, "warning"))
            } else {
                plural(errors, "error")
            };
            eprintln!("Build failed with {what}; the previous site, if any, was left as it was.");
            ExitCode::from(1)
        }
    }
}

/// `plural(n, word)`, or nothing when `n` is 0.
fn nonzero(n: usize, word: &str) -> Option<String> {
    (n > 0).then(|| plural(n, word))
}

/// Drafts are left out quietly otherwise, so say how many and how to see them.
fn drafts_note(n: usize) -> String {
    let them = one_or_many(n, "it", "them");
    nonzero(n, "draft")
        .map(|drafts| format!(" ({drafts} left out; --drafts builds {them})"))
        .unwrap_or_default()
}
