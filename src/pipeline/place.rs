//! The place stage: each sign's country and city (the sidecar's words, else its
//! position, geocoded offline and remembered in the cache), then the catalog that
//! orders and groups the signs.

use rayon::prelude::*;

use crate::cache::Cache;
use crate::catalog::{Catalog, Sign};
use crate::config::Site;
use crate::diag::Diagnostics;
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
            let file = meta.file().to_path_buf();
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
    diags.extend(crate::check::missing_alt(&catalog));
    Placed {
        catalog,
        drafts_left_out,
    }
}
