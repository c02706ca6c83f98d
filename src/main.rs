use std::process::ExitCode;

use clap::Parser;

// Every photo needs a few buffers of tens of megabytes; the system allocator hands
// them back to the kernel and faults them in again for the next photo, which cost a
// fifth of a cold build in system time. mimalloc keeps and reuses them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    glyph::cli::run(glyph::cli::Cli::parse())
}
