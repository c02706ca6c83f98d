use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    glyph::cli::run(glyph::cli::Cli::parse())
}
