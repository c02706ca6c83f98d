//! `glyph init DIR`: a new archive, ready to build. `site.yaml` with every key shown
//! (and a `deploy:` example, commented), an empty `photos/`, an about page, the default
//! theme written out from the binary (so the curator can change it), a `.gitignore` for
//! what glyph makes, and a GitHub Actions workflow that builds and deploys on every push.
//!
//! It only ever creates: a folder that already holds anything is refused.

use std::path::{Path, PathBuf};

use crate::config::{Config, CONFIG_FILE};
use crate::diag::Diagnostic;
use crate::render::theme::DEFAULT_THEME;

/// The files `init` writes, relative to the new site's folder.
pub fn plan(title: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = vec![
        (PathBuf::from(CONFIG_FILE), site_yaml(title).into_bytes()),
        (PathBuf::from("content/about.md"), ABOUT.as_bytes().to_vec()),
        (PathBuf::from(".gitignore"), GITIGNORE.as_bytes().to_vec()),
        (PathBuf::from(WORKFLOW_FILE), WORKFLOW.as_bytes().to_vec()),
    ];
    let mut stack = vec![&DEFAULT_THEME];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for f in dir.files() {
            files.push((
                Path::new("themes/default").join(f.path()),
                f.contents().to_vec(),
            ));
        }
    }
    files.sort();
    files
}

/// Create the archive in `dir`. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.is_file() {
        return Err(Diagnostic::error(format!(
            "{} is a file, not a folder",
            dir.display()
        )));
    }
    if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        return Err(Diagnostic::error(format!(
            "{} already exists and is not empty; `glyph init` only creates new archives",
            dir.display()
        ))
        .hint("choose a new folder name, such as `glyph init my-archive`"));
    }
    let title = dir
        .canonicalize()
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .map(|n| crate::metadata::humanise(&n))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| Config::default().title.get("en", "en").to_string());
    let files = plan(&title);
    let fail = |what: &Path, e: std::io::Error| {
        Diagnostic::error(format!("cannot create {}: {e}", what.display()))
    };
    std::fs::create_dir_all(dir.join("photos")).map_err(|e| fail(&dir.join("photos"), e))?;
    let mut written = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let to = dir.join(&path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fail(parent, e))?;
        }
        // create_new: never replace a file, even one that appeared meanwhile.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&to)
            .and_then(|mut f| std::io::Write::write_all(&mut f, &bytes))
            .map_err(|e| fail(&to, e))?;
        written.push(path);
    }
    Ok(written)
}

fn site_yaml(title: &str) -> String {
    let d = Config::default();
    let title = quote(title);
    let widths: Vec<String> = d.images.widths.iter().map(u32::to_string).collect();
    format!(
        "# The archive's settings. Every key is optional; the values below are the defaults.
# Unknown keys are errors, so a typo never goes unnoticed.
title: {title}
description: {description}
# Where the site is published, e.g. https://example.org/ or https://example.org/glyphs/.
# Feeds and sitemaps need an absolute address.
base_url: {base_url}
language: {language}
# languages: [en, es]   # several: the first at the root, each other under /<code>/;
#                         then title and description may be {{en: …, es: …}}
author: \"\"
theme: {theme}           # themes/<name>; `default` is built into glyph as well
photos_dir: {photos}
content_dir: {content}
output_dir: {output}
cache_dir: {cache}     # derived images and what glyph remembers between builds
per_page: {per_page}           # signs per home page
feed_limit: {feed_limit}        # signs in atom.xml
location_precision: {precision}  # decimal places kept of published coordinates (3 ≈ 100 m)
images:
  widths: [{widths}]
  format: jpeg          # jpeg or webp
  quality: {quality}
map:
  tile_url: {tile}
  attribution: {attribution}
{DEPLOY_EXAMPLE}",
        description = quote(d.description.get("en", "en")),
        base_url = quote(&d.base_url),
        language = d.language,
        theme = d.theme,
        photos = d.photos_dir.display(),
        content = d.content_dir.display(),
        output = d.output_dir.display(),
        cache = d.cache_dir.display(),
        per_page = d.per_page,
        feed_limit = d.feed_limit,
        precision = d.location_precision,
        widths = widths.join(", "),
        quality = d.images.quality,
        tile = quote(&d.map.tile_url),
        attribution = quote(&d.map.attribution),
    )
}

/// A YAML double-quoted string (JSON's string syntax is valid YAML).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

const ABOUT: &str = "---
title: About
weight: 1          # in the menu, first; pages without a weight are not in the menu
---

This archive collects photographs of toilet door signs from around the world.

Add photos to `photos/` (or bring them in with `glyph import FOLDER`), describe each one
in the YAML file beside it, then run `glyph serve` to preview the site and
`glyph build` to publish it.
";

/// The `deploy:` section, commented: one target to uncomment, and how each host is set
/// up (README, "Publishing", says more).
const DEPLOY_EXAMPLE: &str = "
# Publishing with `glyph deploy` (or `glyph build --deploy`): uncomment one target.
# GitHub or Codeberg Pages serve a branch of a repository; glyph commits the site to it.
# deploy:
#   git:
#     remote: git@github.com:you/glyphs.git
#     branch: pages
#     cname: glyphs.example.org      # a custom domain (the CNAME file); leave out if none
# Any host you can ssh to, with rsync:
# deploy:
#   rsync:
#     dest: you@example.org:/var/www/glyphs/
#     port: 22
#     identity: ~/.ssh/id_ed25519
# On GitHub, .github/workflows/pages.yml builds and deploys at every push (remote:
# https://github.com/you/glyphs.git; Settings → Pages: deploy from the `pages` branch).
# Codeberg Pages serves the `pages` branch the same way: deploy from your machine, or
# copy the workflow's steps into a Forgejo Actions or Woodpecker job. GitLab Pages
# serves a CI job's artifact, not a branch: give .gitlab-ci.yml a job named `pages`
# that runs `glyph build` with `artifacts: { paths: [public] }`, and no `deploy:` here.
";

/// Where the GitHub Actions workflow goes.
const WORKFLOW_FILE: &str = ".github/workflows/pages.yml";

/// Build and deploy at every push to `main`, with the cache kept between runs so a
/// push of new photos only makes their images and pages.
const WORKFLOW: &str = r#"# Publishes the archive at every push to main: `glyph build --deploy`, with
# .glyph-cache kept between runs so only new and changed photos are processed, and only
# the files that changed are committed to the pages branch.
#
# Once, to set it up:
# 1. In site.yaml: deploy: { git: { remote: https://github.com/OWNER/REPO.git, branch: pages } }
# 2. Set GLYPH_GIT below to the repository glyph is installed from.
# 3. Push; then in Settings → Pages choose "Deploy from a branch", `pages`, `/ (root)`.
name: Publish
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: write # to push the pages branch
concurrency:
  group: pages # one deploy at a time, so no run pushes over another
  cancel-in-progress: false
env:
  GLYPH_GIT: "" # e.g. https://github.com/OWNER/glyph.git
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Keep glyph's cache (images, photo facts, the deploy record) between runs
        uses: actions/cache@v4
        with:
          path: .glyph-cache
          key: glyph-cache-${{ github.run_id }}
          restore-keys: glyph-cache-
      - name: Keep the glyph binary
        id: binary
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/glyph
          key: glyph-bin-${{ env.GLYPH_GIT }}
      - name: Install glyph
        if: steps.binary.outputs.cache-hit != 'true'
        run: |
          if [ -z "$GLYPH_GIT" ]; then
            echo "::error::set GLYPH_GIT in .github/workflows/pages.yml to where glyph comes from"
            exit 1
          fi
          cargo install --locked --git "$GLYPH_GIT" glyph
      - name: Build and deploy
        env:
          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
        run: |
          # git asks this helper for the job's token, so it is in no URL or file.
          git config --global credential.https://github.com.helper             '!f() { echo username=x-access-token; echo "password=$GITHUB_TOKEN"; }; f'
          glyph build --deploy
"#;

const GITIGNORE: &str = "# Made by glyph: rebuilt from the photos at any time.
/public/
/.glyph-cache/
# The site before the last build, kept so the next one writes only what changed.
/.public.glyph-prev*
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_yaml_is_the_defaults() {
        let text = site_yaml("My \"Signs\"");
        let parsed: Config = crate::yaml::parse(&text).unwrap();
        let d = Config::default();
        assert_eq!(parsed.title.get("en", "en"), "My \"Signs\"");
        assert_eq!(parsed.per_page, d.per_page);
        assert_eq!(parsed.cache_dir, d.cache_dir);
        assert!(text.contains("\ncache_dir: "), "{text}");
        assert_eq!(parsed.images.widths, d.images.widths);
        assert_eq!(parsed.map.attribution, d.map.attribution);
        assert_eq!(parsed.base_url, d.base_url);
    }

    #[test]
    fn each_deploy_example_is_a_valid_section_once_uncommented() {
        let text = site_yaml("x");
        let blocks: Vec<&str> = text.split("# deploy:\n").skip(1).collect();
        assert_eq!(blocks.len(), 2, "{text}");
        for block in blocks {
            let body: String = block
                .lines()
                .take_while(|l| l.starts_with("#   "))
                .map(|l| format!("{}\n", &l[2..]))
                .collect();
            let yaml = format!("deploy:\n{body}");
            let parsed: Config =
                crate::yaml::parse(&yaml).unwrap_or_else(|d| panic!("{d}\n{yaml}"));
            let d = parsed.deploy.expect("a deploy section");
            assert!(d.git.is_some() != d.rsync.is_some(), "{yaml}");
        }
    }

    #[test]
    fn the_workflow_builds_with_the_cache_kept_and_deploys() {
        let files = plan("x");
        let (_, bytes) = files
            .iter()
            .find(|(p, _)| p == Path::new(WORKFLOW_FILE))
            .expect("the workflow is written");
        let doc: serde_json::Value = serde_norway::from_slice(bytes).expect("the workflow is YAML");
        let steps = doc["jobs"]["publish"]["steps"].as_array().unwrap();
        assert!(steps.iter().any(|s| s["with"]["path"] == ".glyph-cache"));
        let last = steps.last().unwrap()["run"].as_str().unwrap();
        assert!(last.trim_end().ends_with("glyph build --deploy"), "{last}");
        assert_eq!(doc["on"]["push"]["branches"][0], "main");
    }

    #[test]
    fn writes_the_whole_theme() {
        let files = plan("x");
        assert!(files
            .iter()
            .any(|(p, _)| p == Path::new("themes/default/templates/sign.html")));
        assert!(files
            .iter()
            .any(|(p, _)| p == Path::new("themes/default/static/css/glyph.css")));
        assert!(files
            .iter()
            .any(|(p, _)| p == Path::new("themes/default/i18n/es.yaml")));
    }
}
