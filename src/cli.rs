//! The command line (clap): parses arguments, runs the pipeline, prints what happened.
//!
//! Exit codes: 0 success, 1 the site has errors, 2 bad command line (clap's own).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::Overrides;
use crate::diag::Diagnostic;
use crate::pipeline::{self, BuildOptions, BuildOutcome};

#[derive(Debug, Parser)]
#[command(
    name = "glyph",
    version,
    about = "Build the Toilet Glyph Project's photo archive into a static site"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's folder (where site.yaml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site, instead of site.yaml's output_dir.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The address the site will be published at, instead of site.yaml's base_url.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include signs and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => build(args),
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
        write: true,
        strict: args.strict,
        live_reload: false,
        progress: true,
    };
    let outcome = pipeline::build(&opts);
    print_diagnostics(&outcome.diagnostics);
    summarise(&outcome, args.strict)
}

pub fn print_diagnostics(diags: &[Diagnostic]) {
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

fn summarise(outcome: &BuildOutcome, strict: bool) -> ExitCode {
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = outcome.diagnostics.len() - errors;
    match &outcome.report {
        Some(r) => {
            let out = r
                .output
                .as_ref()
                .map(|p| format!(" into {}", p.display()))
                .unwrap_or_default();
            eprintln!(
                "Built {} signs, {} pages{out} in {:.2}s ({} images made, {} from the cache){}",
                r.signs,
                r.pages,
                r.elapsed.as_secs_f64(),
                r.images_made,
                r.images_cached.saturating_sub(r.images_made),
                plural(warnings, "warning")
                    .map(|w| format!(", {w}"))
                    .unwrap_or_default(),
            );
            ExitCode::SUCCESS
        }
        None => {
            let what = if strict && errors == 0 {
                format!(
                    "{} (--strict)",
                    plural(warnings, "warning").unwrap_or_default()
                )
            } else {
                plural(errors, "error").unwrap_or_default()
            };
            eprintln!("Build failed with {what}; the previous site, if any, was left as it was.");
            ExitCode::from(1)
        }
    }
}

fn plural(n: usize, word: &str) -> Option<String> {
    match n {
        0 => None,
        1 => Some(format!("1 {word}")),
        n => Some(format!("{n} {word}s")),
    }
}
