//! glyph: a static site generator for the Toilet Glyph Project.
//!
//! The pipeline (README.md describes what it does) flows one way:
//! config → scan → metadata → geo → catalog → imaging/render → output.
//! `pipeline` runs it; `check`, `serve`, `import`, `init` and `cli` sit on top.

pub mod cache;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod geo;
pub mod imaging;
pub mod import;
pub mod init;
pub mod metadata;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scan;
pub mod serve;
mod util;
pub mod yaml;
