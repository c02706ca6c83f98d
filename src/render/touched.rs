//! Which pages an edit touches, so that the others are not even planned.
//!
//! A page is made from the site's shape (its settings and words, which signs there are
//! and in which order, under which styles and places, their neighbours, the content
//! pages) and from sign views. When the shape is the last render's and only some views
//! changed, a page needs planning only if it shows one of them: as its sign, in its
//! list, as a neighbour, or in a value made from views (a map's points, a cover, the
//! share image of the first sign listed). The rest keep the fingerprint they had, with
//! no context made and nothing hashed: an edited title plans a few dozen pages of
//! 12,000. When the shape changed, every page is planned and fingerprinted as before.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

use super::RenderInput;

/// The signs a page is made from.
pub enum Deps<'a> {
    /// Every sign (a map of them all, the covers of every style).
    All,
    Signs(&'a [usize]),
    Range(Range<usize>),
    List(Vec<usize>),
    /// None at all (robots.txt).
    Nothing,
}

/// What changed since the last render.
pub struct Touched<'a> {
    /// Per sign: whether its view changed in any language. `None` when the shape
    /// changed or the last render is unknown: every page is planned.
    changed: Option<Vec<bool>>,
    any: bool,
    /// The last render's pages: output path → fingerprint.
    old: &'a HashMap<String, u64>,
}

impl<'a> Touched<'a> {
    /// Compare this render's shape and view hashes (per language, per sign) with the
    /// last one's.
    pub fn new(
        old: &'a HashMap<String, u64>,
        shape: (u64, &[Vec<u64>]),
        last: Option<(u64, &[Vec<u64>])>,
    ) -> Touched<'a> {
        let changed = last.filter(|l| l.0 == shape.0).and_then(|(_, before)| {
            let same_size = before.len() == shape.1.len()
                && before.iter().zip(shape.1).all(|(a, b)| a.len() == b.len());
            same_size.then(|| {
                let n = shape.1.first().map_or(0, Vec::len);
                (0..n)
                    .map(|i| shape.1.iter().zip(before).any(|(a, b)| a[i] != b[i]))
                    .collect::<Vec<bool>>()
            })
        });
        Touched {
            any: changed.as_ref().is_none_or(|c| c.contains(&true)),
            changed,
            old,
        }
    }

    /// Whether the page at `out` must be planned: it shows a changed sign, or the last
    /// render has no fingerprint of it.
    pub fn wants(&self, out: &str, deps: Deps) -> bool {
        let Some(changed) = &self.changed else {
            return true;
        };
        if !self.old.contains_key(out) {
            return true;
        }
        let hit = |i: &usize| changed.get(*i).copied().unwrap_or(true);
        match deps {
            Deps::All => self.any,
            Deps::Signs(s) => s.iter().any(hit),
            Deps::Range(r) => r.clone().any(|i| hit(&i)),
            Deps::List(v) => v.iter().any(hit),
            Deps::Nothing => false,
        }
    }

    /// The fingerprint a page not planned keeps.
    pub fn kept(&self, out: &str) -> Option<u64> {
        self.old.get(out).copied()
    }
}

/// A hash of the site's shape: everything a page is planned from but the sign views.
/// The catalog's lists and the content pages are hashed as their `Debug` text, which
/// prints every field, so that a field added to them later is in the shape without
/// anyone having to remember it.
pub fn shape(input: &RenderInput, templates: u64, bases: &[u64]) -> u64 {
    let mut h = DefaultHasher::new();
    templates.hash(&mut h);
    bases.hash(&mut h);
    super::jobs::hash_value(&input.site.config).hash(&mut h);
    (&input.site.base_path, &input.site.base_url).hash(&mut h);
    input.site.languages.hash(&mut h);
    input.live_reload.hash(&mut h);
    let cat = input.catalog;
    cat.signs.len().hash(&mut h);
    for s in &cat.signs {
        s.meta.slug.hash(&mut h);
    }
    // 60,000 distances at 10,000 signs: their bits, not their decimal text.
    for near in &cat.nearby {
        near.len().hash(&mut h);
        for (i, km) in near {
            (i, km.to_bits()).hash(&mut h);
        }
    }
    let mut w = DebugHash(&mut h);
    let _ = std::fmt::Write::write_fmt(
        &mut w,
        format_args!(
            "{:?}{:?}{:?}{:?}{:?}",
            cat.tags, cat.countries, input.pages, input.home_intro, input.home_intro_translations
        ),
    );
    h.finish()
}

/// Feeds `Debug` text to a hasher without making a string of it.
struct DebugHash<'h>(&'h mut DefaultHasher);

impl std::fmt::Write for DebugHash<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_showing_a_changed_sign_are_wanted() {
        let old: HashMap<String, u64> = [("a", 1), ("b", 2), ("c", 3)]
            .into_iter()
            .map(|(p, f)| (p.to_string(), f))
            .collect();
        let before = vec![vec![10, 11, 12]];
        let now = vec![vec![10, 99, 12]];
        let t = Touched::new(&old, (7, &now), Some((7, &before)));
        assert!(t.wants("a", Deps::List(vec![0, 1])));
        assert!(!t.wants("a", Deps::Range(2..3)));
        assert!(!t.wants("b", Deps::Signs(&[0, 2])));
        assert!(t.wants("c", Deps::All));
        assert!(!t.wants("c", Deps::Nothing));
        assert!(
            t.wants("new", Deps::Nothing),
            "a page the last render lacks"
        );
        // Another shape, or another number of signs: everything.
        let t = Touched::new(&old, (8, &now), Some((7, &before)));
        assert!(t.wants("a", Deps::Nothing));
        let t = Touched::new(&old, (7, &[vec![10, 11]]), Some((7, &before)));
        assert!(t.wants("a", Deps::Nothing));
        // Nothing changed: not even the pages of every sign.
        let t = Touched::new(&old, (7, &before), Some((7, &before)));
        assert!(!t.wants("c", Deps::All));
    }
}
