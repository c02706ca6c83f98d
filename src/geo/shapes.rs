//! Country outlines at 1:50m (Natural Earth via world-atlas, `shapes.tsv.gz`, made by
//! scripts/make_country_shapes.py), keyed by ISO alpha-2, in the world map's plate
//! carrée units (x = lon + 180, y = 90 − lat) so they sit under the same dots as
//! `map/world.svg`. Parsed once, on first use: only builds that draw a country or
//! city map pay for it.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

const SHAPES_GZ: &[u8] = include_bytes!("shapes.tsv.gz");

/// A closed ring of points, with its bounding box.
#[derive(Debug, Clone)]
pub(crate) struct Ring {
    pub(crate) pts: Vec<(f64, f64)>,
    /// x0, y0, x1, y1
    pub(crate) bbox: [f64; 4],
}

impl Ring {
    fn new(pts: Vec<(f64, f64)>) -> Ring {
        let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for &(x, y) in &pts {
            b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
        Ring { pts, bbox: b }
    }

    /// Its area on the ground, roughly: degrees² shrunk by the cosine of its latitude,
    /// so Alaska does not outweigh the lower 48 on a map stretched at the poles.
    pub(crate) fn ground_area(&self) -> f64 {
        let n = self.pts.len();
        let twice: f64 = (0..n)
            .map(|i| {
                let (a, b) = (self.pts[i], self.pts[(i + 1) % n]);
                a.0 * b.1 - b.0 * a.1
            })
            .sum();
        let lat = 90.0 - (self.bbox[1] + self.bbox[3]) / 2.0;
        (twice / 2.0).abs() * lat.to_radians().cos()
    }
}

/// Every country's rings by upper-case code.
pub(crate) fn all() -> &'static BTreeMap<String, Vec<Ring>> {
    static SHAPES: OnceLock<BTreeMap<String, Vec<Ring>>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(SHAPES_GZ)
            .read_to_string(&mut text)
            .expect("the compiled-in shapes are valid gzip");
        text.lines().filter_map(parse_line).collect()
    })
}

/// The rings of one country, if the data has it.
pub(crate) fn country(code: &str) -> Option<&'static [Ring]> {
    all().get(&code.to_ascii_uppercase()).map(Vec::as_slice)
}

/// `CC<TAB>ring;ring`, a ring being hundredths of a degree: `lon lat` then deltas.
fn parse_line(line: &str) -> Option<(String, Vec<Ring>)> {
    let (code, rings) = line.split_once('\t')?;
    let rings = rings.split(';').filter_map(parse_ring).collect();
    Some((code.to_string(), rings))
}

fn parse_ring(s: &str) -> Option<Ring> {
    let nums: Vec<i64> = s.split(' ').filter_map(|n| n.parse().ok()).collect();
    let (mut lon, mut lat) = (0i64, 0i64);
    let pts = nums
        .chunks_exact(2)
        .map(|d| {
            lon += d[0];
            lat += d[1];
            (lon as f64 / 100.0 + 180.0, 90.0 - lat as f64 / 100.0)
        })
        .collect::<Vec<_>>();
    (pts.len() >= 3).then(|| Ring::new(pts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_keyed_by_code_in_map_units() {
        let fr = country("fr").expect("France has a shape");
        let main = fr
            .iter()
            .max_by(|a, b| a.ground_area().total_cmp(&b.ground_area()))
            .unwrap();
        // Metropolitan France: about 5°W–8°E, 42°N–51°N.
        assert!((174.0..176.0).contains(&main.bbox[0]), "{:?}", main.bbox);
        assert!((187.0..189.0).contains(&main.bbox[2]), "{:?}", main.bbox);
        assert!((38.0..40.0).contains(&main.bbox[1]), "{:?}", main.bbox);
        assert!(all().len() > 200);
        assert!(
            country("XK").is_some(),
            "Kosovo has no ISO numeric id in world-atlas"
        );
    }
}
