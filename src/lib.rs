//! glyph: a static site generator for the Toilet Glyph Project.
//!
//! The pipeline (README.md describes what it does) flows one way:
//! config → scan → metadata → geo → catalog → imaging/render → output.
//! `pipeline` runs it; `check`, `serve`, `import`, `deploy`, `init` and `cli` sit on
//! top.
//!
//! The binary is the product; the library is public only as far as the tests,
//! benches and fuzz targets need to reach in.

#![warn(missing_docs)]

pub(crate) mod cache;
pub(crate) mod catalog;
pub(crate) mod check;
pub mod cli;
pub mod config;
pub(crate) mod deploy;
pub mod diag;
pub mod geo;
pub(crate) mod i18n;
pub mod imaging;
pub(crate) mod import;
pub(crate) mod init;
pub mod locale;
pub mod metadata;
pub(crate) mod output;
pub mod pipeline;
pub(crate) mod render;
pub(crate) mod scan;
pub(crate) mod serve;
pub(crate) mod util;
pub(crate) mod yaml;
