//! Offline reverse geocoding: the country by point-in-polygon on OpenStreetMap borders
//! (the `country-boundaries` crate), then the city as the nearest populated place of
//! that same country (GeoNames, `places.tsv.gz`). Looking up the country first is what
//! keeps a sign in San Ysidro in the United States even though Tijuana is the nearer
//! city.
//!
//! Both data sets are compiled in and loaded once, on first use.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use country_boundaries::{CountryBoundaries, LatLon, BOUNDARIES_ODBL_360X180};

/// GeoNames places (population ≥ 1000), gzipped: `lat, lon, country, population, name`
/// (see scripts/make_places.py).
pub(super) const PLACES_GZ: &[u8] = include_bytes!("places.tsv.gz");

/// A place farther than this from the point is not "its" city.
pub(crate) const MAX_CITY_KM: f64 = 30.0;

/// Grid cell size, in degrees, of the city index.
const CELL: f64 = 0.5;

struct City {
    lat: f64,
    lon: f64,
    population: u32,
    name: &'static str,
}

struct Index {
    boundaries: CountryBoundaries,
    /// Country → grid cell → cities in it.
    cities: HashMap<&'static str, HashMap<(i32, i32), Vec<City>>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let boundaries = CountryBoundaries::from_reader(BOUNDARIES_ODBL_360X180)
            .expect("the compiled-in country boundaries are valid");
        let mut text = String::new();
        flate2::read::GzDecoder::new(PLACES_GZ)
            .read_to_string(&mut text)
            .expect("the compiled-in places are valid gzip");
        // Leaked once: the names are borrowed for the life of the process.
        let text: &'static str = Box::leak(text.into_boxed_str());
        let mut cities: HashMap<&str, HashMap<(i32, i32), Vec<City>>> = HashMap::new();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut f = line.splitn(5, '\t');
            let (Some(lat), Some(lon), Some(cc), Some(pop), Some(name)) =
                (f.next(), f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
                continue;
            };
            cities
                .entry(cc)
                .or_default()
                .entry(cell(lat, lon))
                .or_default()
                .push(City {
                    lat,
                    lon,
                    population: pop.parse().unwrap_or(0),
                    name,
                });
        }
        Index { boundaries, cities }
    })
}

fn cell(lat: f64, lon: f64) -> (i32, i32) {
    ((lat / CELL).floor() as i32, (lon / CELL).floor() as i32)
}

/// The ISO 3166-1 alpha-2 code of the country the point is in; `None` at sea.
pub fn country_code_at(lat: f64, lon: f64) -> Option<&'static str> {
    let pos = LatLon::new(lat, lon).ok()?;
    // `ids` lists the smallest area first (`US-TX` before `US`); the first two-letter
    // id is the most specific country, so an enclave (Vatican City) beats its host.
    let ids = index().boundaries.ids(pos);
    let code = ids.into_iter().find(|id| id.len() == 2)?;
    crate::geo::country_by_code(code).map(|c| c.code)
}

/// The nearest populated place of `country` within `MAX_CITY_KM`, and its distance.
pub fn city_near(country: &str, lat: f64, lon: f64) -> Option<(&'static str, f64)> {
    let grid = index().cities.get(country)?;
    // Cells to search: enough to cover MAX_CITY_KM in every direction.
    let dlat = (MAX_CITY_KM / 111.0 / CELL).ceil() as i32;
    let coslat = lat.to_radians().cos().abs().max(0.01);
    let dlon = ((MAX_CITY_KM / (111.0 * coslat)) / CELL).ceil().min(720.0) as i32;
    let (ci, cj) = cell(lat, lon);
    // GeoNames lists districts (Chelsea, Pinheiros) beside their cities. A place
    // "covers" a radius that grows with its population; the most populous place
    // covering the point is its city. Failing that, the nearest town, with a small
    // preference for bigger places a little farther away.
    let mut covering: Option<(&City, f64)> = None;
    let mut nearest: Option<(&City, f64, f64)> = None;
    for i in ci - dlat..=ci + dlat {
        for j in cj - dlon..=cj + dlon {
            // Cells wrap around the antimeridian.
            let j = (j + 360).rem_euclid(720) - 360;
            for c in grid.get(&(i, j)).into_iter().flatten() {
                let d = distance_km(lat, lon, c.lat, c.lon);
                if d > MAX_CITY_KM {
                    continue;
                }
                if d <= coverage_km(c.population)
                    && covering.is_none_or(|(b, bd)| (c.population, -d) > (b.population, -bd))
                {
                    covering = Some((c, d));
                }
                let score = d - 0.5 * (c.population.max(1) as f64).log10();
                if nearest.is_none_or(|(_, _, s)| score < s) {
                    nearest = Some((c, d, score));
                }
            }
        }
    }
    covering
        .or(nearest.map(|(c, d, _)| (c, d)))
        .map(|(c, d)| (c.name, d))
}

/// The radius a place of `population` spans: about 0.6 km for a village of 1000,
/// 5 km for Helsinki, 12 km for London.
fn coverage_km(population: u32) -> f64 {
    0.06 * (population as f64).cbrt()
}

/// Great-circle distance (haversine), in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

/// Load the data now (it is otherwise loaded on first use), so timings are honest.
pub fn warm_up() {
    index();
}
