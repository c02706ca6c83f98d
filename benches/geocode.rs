//! Geocoding speed: loading the border and place data, then 10,000 look-ups (country
//! by point-in-polygon, then the city). Run with `cargo bench --bench geocode`.

use std::time::Instant;

use glyph::geo::locate::{city_near, country_code_at, warm_up};

fn main() {
    let t = Instant::now();
    warm_up();
    let load = t.elapsed();

    // Points spread evenly over the inhabited latitudes (a deterministic R2 sequence).
    let points: Vec<(f64, f64)> = (0..10_000)
        .map(|i| {
            let (u, v) = (
                (i as f64 * 0.754_877_666).fract(),
                (i as f64 * 0.569_840_291).fract(),
            );
            (-55.0 + u * 125.0, -180.0 + v * 360.0)
        })
        .collect();
    let t = Instant::now();
    let (mut countries, mut cities) = (0, 0);
    for &(lat, lon) in &points {
        if let Some(cc) = country_code_at(lat, lon) {
            countries += 1;
            cities += city_near(cc, lat, lon).is_some() as usize;
        }
    }
    let lookups = t.elapsed();
    println!("load data:        {:>8.1} ms", load.as_secs_f64() * 1e3);
    println!(
        "10,000 look-ups:  {:>8.1} ms  ({countries} on land, {cities} with a city)",
        lookups.as_secs_f64() * 1e3
    );
    println!(
        "total:            {:>8.1} ms  (target: under 500 ms)",
        (load + lookups).as_secs_f64() * 1e3
    );
}
