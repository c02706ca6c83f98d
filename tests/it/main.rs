//! The integration tests, as one test binary (`cargo test --test it`): each module was
//! once a binary of its own, and every one linked axum, tokio, image and tera, so a
//! clean `cargo test` spent most of its time linking. A module's tests are named after
//! it, so `cargo test --test it -- serve::` runs those of `serve.rs` alone.
//!
//! They all share one process now, and run side by side: a test must not change the
//! process's environment or current folder.

mod common;

mod browser;
mod build;
mod check;
mod color;
mod corpus;
mod deploy;
mod errors;
mod exif;
mod geo;
mod grid;
mod heic;
mod i18n;
mod i18n_content;
mod import;
mod import_export;
mod incremental;
mod maps;
mod orientation;
mod photos;
mod published;
mod reliability;
mod serve;
mod sign_page;
