//! The place stage: each sign's country and city (the sidecar's words, else its
//! position, geocoded offline and remembered in the cache), then the catalog that
//! orders and groups the signs.

use rayon::prelude::*;

use crate::cache::Cache;
use crate::catalog::{Catalog, Sign};
use crate::config::Site;
use crate::diag::{Diagnostic, Diagnostics};
use crate::metadata::SignMeta;

/// What the place stage gives the rest of the build.
pub(super) struct Placed {
    pub catalog: Catalog,
    /// Drafts not built (without --drafts).
    pub drafts_left_out: usize,
}

pub(super) fn place(
    site: &Site,
    metas: Vec<SignMeta>,
    cache: &mut Cache,
    diags: &Diagnostics,
) -> Placed {
    let geocoder = cache.geocoder();
    let signs: Vec<Sign> = metas
        .into_par_iter()
        .map(|mut meta| {
            let (place, sources, problems) = crate::geo::place_of(&meta, &geocoder);
            let file = super::blame(&meta);
            diags.extend(problems.into_iter().map(|d| d.file(&file)));
            meta.sources.extend(sources);
            Sign { meta, place }
        })
        .collect();
    cache.record_geo(geocoder.into_memo());
    let drafts_left_out = if site.drafts {
        0
    } else {
        signs.iter().filter(|s| s.meta.draft).count()
    };
    let (catalog, problems) = Catalog::new(signs, site.drafts);
    diags.extend(problems);
    diags.extend(missing_alt(&catalog));
    Placed {
        catalog,
        drafts_left_out,
    }
}

fn missing_alt(catalog: &Catalog) -> Vec<Diagnostic> {
    catalog
        .signs
        .iter()
        .filter(|s| s.meta.alt.is_none() && s.meta.sidecar.is_some())
        .map(|s| {
            Diagnostic::warning(
                "no `alt` text: visitors using screen readers will not know what the sign shows",
            )
            .file(s.meta.sidecar.clone().unwrap_or_default())
            .hint("add `alt:` describing the pictograms and words on the sign")
        })
        .collect()
}
