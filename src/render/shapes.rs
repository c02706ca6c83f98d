//! Inline SVG maps from the 1:50m outlines (`geo::shapes`): a country's page frames
//! the country itself (its mainland and wherever its signs are), a city's page frames
//! its signs; both shade the country and draw its neighbours as plain land, clipped to
//! the frame and rounded to its scale so a page carries only what it shows. The
//! /countries/ choropleth takes each country's outline at world scale from here too.
//! Paths are inline (not an <img>) so the theme's --land/--coast/--accent, dark mode
//! included, colour them.

use super::context::{MapPoint, MiniMap};
use crate::geo::shapes::{self, Ring};
use std::fmt::Write;

/// The map's shape (width : height), as `map/world.svg` and the CSS's 12/5 box.
const ASPECT: f64 = 360.0 / 150.0;

/// A view box in map units: x, y, width, height.
#[derive(Debug, Clone, Copy)]
struct Frame {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// A country's page map: framed on its mainland (overseas parts and islands far
/// smaller than the main one are left out) plus its signs. `None` for a code without
/// an outline.
pub fn country_map(code: &str, points: Vec<MapPoint>) -> Option<MiniMap> {
    let rings = shapes::country(code)?;
    let mut b = mainland(rings)?;
    let points = near(points, (b[0] + b[2]) / 2.0);
    for p in &points {
        b = union(b, [p.x, p.y, p.x, p.y]);
    }
    Some(draw(code, fit(b, 0.12, 2.0), points))
}

/// A city's page map: framed on its signs, at least `min_span` degrees wide, the
/// country shaded. `None` without points or outline.
pub fn city_map(code: &str, points: Vec<MapPoint>, min_span: f64) -> Option<MiniMap> {
    shapes::country(code)?;
    let first = points.first()?;
    let points = near(points.clone(), first.x);
    let b = points
        .iter()
        .fold([first.x, first.y, first.x, first.y], |b, p| {
            union(b, [p.x, p.y, p.x, p.y])
        });
    let mut f = fit(b, 0.3, min_span);
    if f.w < min_span {
        f = fit(b, 0.0, min_span);
    }
    Some(draw(code, f, points))
}

/// A country's outline at world scale (the /countries/ choropleth's 0 0 360 150),
/// and whether it is too small to see there (the page marks it with a dot instead).
pub fn world_outline(code: &str) -> Option<(String, bool)> {
    let rings = shapes::country(code)?;
    let world = Frame {
        x: 0.0,
        y: 0.0,
        w: 360.0,
        h: 150.0,
    };
    let d = path(rings.iter(), world, 0.15, 1);
    let b = rings
        .iter()
        .fold(rings.first()?.bbox, |b, r| union(b, r.bbox));
    Some((d, (b[2] - b[0]).max(b[3] - b[1]) < 1.5))
}

/// The country shaded, every other country as land, the points as given.
fn draw(code: &str, f: Frame, points: Vec<MapPoint>) -> MiniMap {
    let code = code.to_ascii_uppercase();
    let tol = f.w / 900.0;
    // Hundredths of a degree are the data's own precision: no finer digits.
    let digits = ((900.0 / f.w).log10().ceil() as usize).clamp(1, 2);
    let land = path(
        shapes::all()
            .iter()
            .filter(|(c, _)| **c != code)
            .flat_map(|(_, r)| r.iter()),
        f,
        tol,
        digits,
    );
    let shape = path(shapes::all()[&code].iter(), f, tol, digits);
    MiniMap {
        view_box: format!("{:.2} {:.2} {:.2} {:.2}", f.x, f.y, f.w, f.h),
        // A little larger than the sign page's: these maps are often seen on phones.
        r: (f.w / 90.0).max(0.03),
        points,
        land,
        shape,
    }
}

/// The main ring's box, grown by the rings nearly as big and close to it (New
/// Zealand's two islands, Honshu and Hokkaido), not by far overseas parts (French
/// Guiana, Alaska, Hawaii). Rings across the antimeridian are taken on the main one's
/// side.
fn mainland(rings: &[Ring]) -> Option<[f64; 4]> {
    let main = rings
        .iter()
        .max_by(|a, b| a.ground_area().total_cmp(&b.ground_area()))?;
    let area = main.ground_area();
    let reach = (main.bbox[2] - main.bbox[0]).max(main.bbox[3] - main.bbox[1]) * 0.5 + 1.0;
    let cx = (main.bbox[0] + main.bbox[2]) / 2.0;
    let mut b = main.bbox;
    for r in rings {
        let shift = wrap_towards((r.bbox[0] + r.bbox[2]) / 2.0, cx);
        let rb = [r.bbox[0] + shift, r.bbox[1], r.bbox[2] + shift, r.bbox[3]];
        if r.ground_area() >= 0.2 * area && gap(rb, main.bbox) <= reach {
            b = union(b, rb);
        }
    }
    Some(b)
}

/// The points, each moved by ±360 to the copy of the world nearest `cx`.
fn near(mut points: Vec<MapPoint>, cx: f64) -> Vec<MapPoint> {
    for p in &mut points {
        p.x = ((p.x + wrap_towards(p.x, cx)) * 100.0).round() / 100.0;
    }
    points
}

/// The multiple of 360 that brings `x` nearest to `cx`.
fn wrap_towards(x: f64, cx: f64) -> f64 {
    ((cx - x) / 360.0).round() * 360.0
}

fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// How far apart two boxes are (0 when they touch or overlap).
fn gap(a: [f64; 4], b: [f64; 4]) -> f64 {
    let dx = (a[0] - b[2]).max(b[0] - a[2]).max(0.0);
    let dy = (a[1] - b[3]).max(b[1] - a[3]).max(0.0);
    dx.max(dy)
}

/// The box with `margin` (a share of its size) around it, at least `min_span` wide,
/// widened or heightened to the map's aspect.
fn fit(b: [f64; 4], margin: f64, min_span: f64) -> Frame {
    let mut w = ((b[2] - b[0]) * (1.0 + 2.0 * margin)).max(min_span);
    let mut h = (b[3] - b[1]) * (1.0 + 2.0 * margin);
    if w / ASPECT < h {
        w = h * ASPECT;
    } else {
        h = w / ASPECT;
    }
    let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
    Frame {
        x: cx - w / 2.0,
        y: cy - h / 2.0,
        w,
        h,
    }
}

/// One path of every ring (and its copies one world left and right) that meets the
/// frame, clipped just outside it, simplified by `tol` and written with `digits`
/// decimals in relative steps.
fn path<'r>(rings: impl Iterator<Item = &'r Ring>, f: Frame, tol: f64, digits: usize) -> String {
    let pad = f.w * 0.02;
    let clip = [f.x - pad, f.y - pad, f.x + f.w + pad, f.y + f.h + pad];
    let scale = 10f64.powi(digits as i32);
    let mut out = String::new();
    for r in rings {
        for shift in [-360.0, 0.0, 360.0] {
            let rb = [r.bbox[0] + shift, r.bbox[1], r.bbox[2] + shift, r.bbox[3]];
            if gap(rb, clip) > 0.0 {
                continue;
            }
            let moved: Vec<(f64, f64)> = r.pts.iter().map(|&(x, y)| (x + shift, y)).collect();
            let clipped = clip_ring(moved, clip);
            let simple = simplify(&clipped, tol);
            write_ring(&mut out, &simple, scale, digits);
        }
    }
    out
}

/// `M x y l dx dy …z` on a grid of 1/scale, dropping steps that round to nothing.
fn write_ring(out: &mut String, pts: &[(f64, f64)], scale: f64, digits: usize) {
    let q: Vec<(i64, i64)> = pts
        .iter()
        .map(|&(x, y)| ((x * scale).round() as i64, (y * scale).round() as i64))
        .collect();
    let mut steps = String::new();
    let mut last = match q.first() {
        Some(&p) => p,
        None => return,
    };
    let mut n = 0;
    for &p in &q[1..] {
        let (dx, dy) = (p.0 - last.0, p.1 - last.1);
        if dx == 0 && dy == 0 {
            continue;
        }
        let _ = write!(
            steps,
            " {} {}",
            num(dx, scale, digits),
            num(dy, scale, digits)
        );
        last = p;
        n += 1;
    }
    if n >= 2 {
        let (x, y) = (num(q[0].0, scale, digits), num(q[0].1, scale, digits));
        let _ = write!(out, "M{x} {y}l{}z", &steps[1..]);
    }
}

/// A grid value as the shortest decimal: 1.50 → 1.5, 0.30 → .3, −0.30 → −.3.
fn num(v: i64, scale: f64, digits: usize) -> String {
    let s = format!("{:.*}", digits, v as f64 / scale);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else if let Some(rest) = s.strip_prefix("0.") {
        format!(".{rest}")
    } else if let Some(rest) = s.strip_prefix("-0.") {
        format!("-.{rest}")
    } else {
        s.to_string()
    }
}

/// Sutherland–Hodgman against an axis-aligned box: enough for filled land, whose cut
/// edges fall just outside the view.
fn clip_ring(pts: Vec<(f64, f64)>, c: [f64; 4]) -> Vec<(f64, f64)> {
    let edges: [(usize, f64, bool); 4] = [
        (0, c[0], true),
        (0, c[2], false),
        (1, c[1], true),
        (1, c[3], false),
    ];
    let mut pts = pts;
    for (axis, v, keep_above) in edges {
        let inside = |p: &(f64, f64)| {
            let a = if axis == 0 { p.0 } else { p.1 };
            if keep_above {
                a >= v
            } else {
                a <= v
            }
        };
        let mut out = Vec::with_capacity(pts.len());
        for i in 0..pts.len() {
            let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
            let (ia, ib) = (inside(&a), inside(&b));
            if ia {
                out.push(a);
            }
            if ia != ib {
                let (ca, cb) = if axis == 0 { (a.0, b.0) } else { (a.1, b.1) };
                let t = (v - ca) / (cb - ca);
                out.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
            }
        }
        pts = out;
        if pts.is_empty() {
            break;
        }
    }
    pts
}

/// Douglas–Peucker, iterative, keeping the ends.
fn simplify(pts: &[(f64, f64)], tol: f64) -> Vec<(f64, f64)> {
    if pts.len() < 4 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (pa, pb) = (pts[a], pts[b]);
        let (dx, dy) = (pb.0 - pa.0, pb.1 - pa.1);
        let norm = dx.hypot(dy);
        let mut best = (0.0, 0);
        for (i, p) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d = if norm == 0.0 {
                (p.0 - pa.0).hypot(p.1 - pa.1)
            } else {
                (dy * p.0 - dx * p.1 + pb.0 * pa.1 - pb.1 * pa.0).abs() / norm
            };
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > tol {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    pts.iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| *p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(lon: f64, lat: f64) -> MapPoint {
        MapPoint {
            url: String::new(),
            title: String::new(),
            lat,
            lon,
            x: lon + 180.0,
            y: 90.0 - lat,
            thumb: String::new(),
        }
    }

    fn view(m: &MiniMap) -> Vec<f64> {
        m.view_box.split(' ').map(|v| v.parse().unwrap()).collect()
    }

    #[test]
    fn france_is_framed_on_the_mainland() {
        let m = country_map("FR", vec![pt(2.35, 48.86)]).unwrap();
        let v = view(&m);
        // Paris to Corsica fit; French Guiana (53°W) and Réunion (55°E) do not.
        assert!(v[0] > 180.0 - 12.0 && v[0] + v[2] < 180.0 + 20.0, "{v:?}");
        assert!(!m.shape.is_empty() && !m.land.is_empty());
    }

    #[test]
    fn a_country_across_the_antimeridian_keeps_its_signs_beside_it() {
        // Fiji's islands lie on both sides of 180°; a sign at 179.9°W sits by them.
        let m = country_map("FJ", vec![pt(-179.9, -16.5), pt(178.4, -18.1)]).unwrap();
        let v = view(&m);
        assert!(v[2] < 20.0, "{v:?}");
        for p in &m.points {
            assert!(p.x > v[0] && p.x < v[0] + v[2], "{} outside {v:?}", p.x);
        }
    }

    #[test]
    fn us_frame_leaves_alaska_out_unless_a_sign_is_there() {
        let lower = view(&country_map("US", vec![pt(-74.0, 40.7)]).unwrap());
        assert!(lower[0] > 180.0 - 135.0, "{lower:?}");
        let both = view(&country_map("US", vec![pt(-74.0, 40.7), pt(-149.9, 61.2)]).unwrap());
        assert!(both[0] < 180.0 - 150.0, "{both:?}");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(150, 100.0, 2), "1.5");
        assert_eq!(num(-30, 100.0, 2), "-.3");
        assert_eq!(num(0, 100.0, 2), "0");
        assert_eq!(num(-3, 10.0, 1), "-.3");
        assert_eq!(num(1050, 100.0, 2), "10.5");
    }
}
