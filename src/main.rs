use std::process::ExitCode;

use clap::Parser;

// Every photo needs a few buffers of tens of megabytes; the system allocator hands
// them back to the kernel and faults them in again for the next photo, which cost a
// fifth of a cold build in system time. mimalloc keeps and reuses them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // mimalloc asks for transparent huge pages, and the kernel zeroes each one whole on
    // its first touch: a quarter of the CPU of a one-edit build at 10,000 signs went to
    // clearing 2 MB pages at a time (1.65 -> 1.2 s, 258 -> 229 MB peak;
    // a cold build of 12-MP photos is no slower: 1.45 -> 1.38 s for 20). This is what
    // MIMALLOC_ALLOW_THP=0 does, which mimalloc reads before `main` can set it.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    glyph::cli::run(glyph::cli::Cli::parse())
}
