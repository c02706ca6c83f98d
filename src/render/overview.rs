//! The visual index pages' data: a cover photo per style and per country, the world
//! overview of /countries/ (a choropleth: each country shaded by its number of signs,
//! with a legend, no JavaScript) and the countries by count for the page's first list
//! (the catalog's own order, by name, is its second).

use super::context::{map_point, CountryView, ImageRef, MapPoint, SignView};
use super::shapes;
use crate::catalog::CountryEntry;
use serde::Serialize;
use std::collections::BTreeMap;

/// The cover of a list: its newest sign's thumbnail and alt text.
#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    pub thumb: ImageRef,
    pub alt: String,
}

/// One country on the world overview: its outline shaded by its count's step, and a
/// dot where its signs are on average when it is too small to see at world scale.
#[derive(Debug, Clone, Serialize)]
pub struct WorldCountry {
    pub code: String,
    pub name: String,
    pub url: String,
    pub count: usize,
    /// 1 (fewest) to `STEPS` (most): the CSS class `step-N` shades it.
    pub step: usize,
    /// SVG path data in the 0 0 360 150 world frame; empty without an outline.
    pub d: String,
    pub dot: Option<(f64, f64)>,
}

/// One step of the legend: the counts it covers, and its class.
#[derive(Debug, Clone, Serialize)]
pub struct LegendStep {
    pub step: usize,
    pub min: usize,
    pub max: usize,
}

/// The /countries/ choropleth: shaded countries and the legend of their steps.
#[derive(Debug, Clone, Serialize)]
pub struct World {
    pub countries: Vec<WorldCountry>,
    pub legend: Vec<LegendStep>,
}

/// How many shades of the accent colour the theme defines (`.step-1` … `.step-5`).
pub const STEPS: usize = 5;

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

/// Every country with signs, shaded by its count's step. `None` without countries.
pub fn world(
    views: &[SignView],
    entries: &[CountryEntry],
    countries: &[CountryView],
) -> Option<World> {
    let max = countries.iter().map(|c| c.count).max()?;
    let legend = legend(max);
    let countries = entries
        .iter()
        .zip(countries)
        .map(|(e, c)| {
            let step = legend
                .iter()
                .find(|s| c.count <= s.max)
                .map_or(STEPS, |s| s.step);
            let (d, tiny) = shapes::world_outline(&c.code).unwrap_or_default();
            let dot = (tiny || d.is_empty())
                .then(|| mean_point(views, &e.signs))
                .flatten();
            WorldCountry {
                code: c.code.clone(),
                name: c.name.clone(),
                url: c.url.clone(),
                count: c.count,
                step,
                d,
                dot,
            }
        })
        .collect();
    Some(World { countries, legend })
}

/// Up to `STEPS` ranges of counts growing geometrically from 1 to `max` (1–2, 3, 4–5,
/// 6–8, 9–13 for 13), so one big collection does not wash every other country out.
/// The most signs always take the darkest step, the fewest the lightest.
pub fn legend(max: usize) -> Vec<LegendStep> {
    let k = STEPS.min(max.max(1));
    let mut bounds: Vec<usize> = Vec::with_capacity(k);
    for i in 1..=k {
        let b = (max as f64).powf(i as f64 / k as f64).round() as usize;
        let floor = bounds.last().map_or(1, |l| l + 1);
        bounds.push(b.max(floor).min(max));
    }
    bounds.dedup();
    let n = bounds.len();
    let mut min = 1;
    bounds
        .iter()
        .enumerate()
        .map(|(i, &max)| {
            let s = LegendStep {
                // Fewer steps than shades: spread them from the lightest to the darkest.
                step: match n {
                    1 => STEPS,
                    _ => 1 + (i * (STEPS - 1) + (n - 1) / 2) / (n - 1),
                },
                min,
                max,
            };
            min = max + 1;
            s
        })
        .collect()
}

/// Where a list's located signs are on average, in world map units.
fn mean_point(views: &[SignView], signs: &[usize]) -> Option<(f64, f64)> {
    let pts: Vec<MapPoint> = signs.iter().filter_map(|&i| map_point(&views[i])).collect();
    if pts.is_empty() {
        return None;
    }
    let n = pts.len() as f64;
    let round = |v: f64| (v * 100.0).round() / 100.0;
    Some((
        round(pts.iter().map(|p| p.x).sum::<f64>() / n),
        round(pts.iter().map(|p| p.y).sum::<f64>() / n),
    ))
}

/// The countries by count, most signs first; ties keep the catalog's order, by name.
pub fn by_count(countries: &[CountryView]) -> Vec<CountryView> {
    let mut out = countries.to_vec();
    out.sort_by_key(|c| std::cmp::Reverse(c.count));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(max: usize) -> Vec<(usize, usize, usize)> {
        legend(max).iter().map(|s| (s.step, s.min, s.max)).collect()
    }

    #[test]
    fn legend_steps_grow_and_end_at_the_darkest() {
        assert_eq!(
            ranges(13),
            [(1, 1, 2), (2, 3, 3), (3, 4, 5), (4, 6, 8), (5, 9, 13)]
        );
        assert_eq!(ranges(1), [(5, 1, 1)]);
        assert_eq!(ranges(3), [(1, 1, 1), (3, 2, 2), (5, 3, 3)]);
        assert_eq!(ranges(2), [(1, 1, 1), (5, 2, 2)]);
        assert_eq!(
            ranges(4).iter().map(|s| s.0).collect::<Vec<_>>(),
            [1, 2, 4, 5]
        );
        let big = ranges(1000);
        assert_eq!(big.len(), 5);
        assert_eq!(big[4].2, 1000);
    }
}
