//! The visual index pages' data: a cover photo per style and per country, the world
//! overview of /countries/ (one dot per country, sized by its count, no JavaScript)
//! and the countries by count for the page's first list (the catalog's own order, by
//! name, is its second).

use super::context::{map_point, CountryView, ImageRef, MapPoint, SignView};
use crate::catalog::CountryEntry;
use serde::Serialize;
use std::collections::BTreeMap;

/// The cover of a list: its newest sign's thumbnail and alt text.
#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    pub thumb: ImageRef,
    pub alt: String,
}

/// One country on the world overview: where its signs are on average, and how big.
#[derive(Debug, Clone, Serialize)]
pub struct CountryDot {
    pub code: String,
    pub name: String,
    pub url: String,
    pub count: usize,
    pub x: f64,
    pub y: f64,
    pub r: f64,
}

/// The cover of a list of signs (indexes into `views`, newest first).
pub fn cover(views: &[SignView], signs: &[usize]) -> Option<Cover> {
    let v = views.get(*signs.first()?)?;
    Some(Cover {
        thumb: v.image.thumb.clone(),
        alt: v.alt.clone(),
    })
}

/// Covers keyed by slug (styles) or code (countries), so templates look them up
/// beside the lists they already loop over.
pub fn covers<'e>(
    views: &[SignView],
    lists: impl Iterator<Item = (&'e str, &'e [usize])>,
) -> BTreeMap<String, Cover> {
    lists
        .filter_map(|(key, signs)| Some((key.to_string(), cover(views, signs)?)))
        .collect()
}

/// A dot per country with located signs, at their mean position, its area growing
/// with the count (radius ∝ √count) so the biggest collections stand out.
pub fn country_dots(
    views: &[SignView],
    entries: &[CountryEntry],
    countries: &[CountryView],
) -> Vec<CountryDot> {
    entries
        .iter()
        .zip(countries)
        .filter_map(|(e, c)| {
            let pts: Vec<MapPoint> = e
                .signs
                .iter()
                .filter_map(|&i| map_point(&views[i]))
                .collect();
            if pts.is_empty() {
                return None;
            }
            let n = pts.len() as f64;
            let round = |v: f64| (v * 100.0).round() / 100.0;
            Some(CountryDot {
                code: c.code.clone(),
                name: c.name.clone(),
                url: c.url.clone(),
                count: c.count,
                x: round(pts.iter().map(|p| p.x).sum::<f64>() / n),
                y: round(pts.iter().map(|p| p.y).sum::<f64>() / n),
                r: round(2.5 + (c.count as f64).sqrt() * 1.5),
            })
        })
        .collect()
}

/// The countries by count, most signs first; ties keep the catalog's order, by name.
pub fn by_count(countries: &[CountryView]) -> Vec<CountryView> {
    let mut out = countries.to_vec();
    out.sort_by_key(|c| std::cmp::Reverse(c.count));
    out
}
