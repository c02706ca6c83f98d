//! What was last deployed to each target, in `<cache>/deploy/<id>/state.json`: every
//! file sent (size and hash), the signs that site showed, and for git the commit
//! pushed. The folder also holds the git target's work clone. A target is named by
//! its description with any credentials taken out, so a token never reaches the
//! cache, and a new token for the same remote keeps its record.
//!
//! A missing or damaged record only means every file is sent again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::plan::{Sent, SignSeen};

const FILE: &str = "state.json";
const VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct State {
    version: u32,
    /// The target, as `describe` shows it (no credentials).
    pub(crate) target: String,
    /// The git target's commit that holds `files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) commit: Option<String>,
    pub(crate) files: BTreeMap<String, Sent>,
    pub(crate) signs: BTreeMap<String, SignSeen>,
}

impl State {
    pub(crate) fn new(target: &str) -> State {
        State {
            version: VERSION,
            target: target.to_string(),
            ..State::default()
        }
    }

    /// The record in `dir` for `target`, or an empty one.
    pub(crate) fn load(dir: &Path, target: &str) -> State {
        std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<State>(&b).ok())
            .filter(|s| s.version == VERSION && s.target == target)
            .unwrap_or_else(|| State::new(target))
    }

    pub(crate) fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        crate::util::write_atomic(&dir.join(FILE), &serde_json::to_vec(self)?)
    }
}

/// The folder of `target`'s record under the cache.
pub(crate) fn dir(cache: &Path, target: &str) -> PathBuf {
    let h = blake3::hash(target.as_bytes()).to_hex();
    cache.join("deploy").join(&h.as_str()[..16])
}

/// The signs a built site shows, from its `signs.json` (empty when it cannot be read:
/// the commit message then names changed sign pages by slug).
pub(crate) fn signs_of(output: &Path) -> BTreeMap<String, SignSeen> {
    #[derive(Deserialize)]
    struct Doc {
        signs: Vec<serde_json::Value>,
    }
    let Ok(bytes) = std::fs::read(output.join("signs.json")) else {
        return BTreeMap::new();
    };
    let Ok(doc) = serde_json::from_slice::<Doc>(&bytes) else {
        return BTreeMap::new();
    };
    doc.signs
        .into_iter()
        .filter_map(|sign| {
            let slug = sign.get("slug")?.as_str()?.to_string();
            let title = sign
                .get("title")
                .and_then(|t| t.as_str())
                .unwrap_or(&slug)
                .to_string();
            let record = serde_json::to_vec(&sign).ok()?;
            let h = blake3::hash(&record);
            let hash = u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("8 bytes"));
            Some((slug, SignSeen { hash, title }))
        })
        .collect()
}
