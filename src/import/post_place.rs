//! Where a post's sign is: the place line of its caption (the city found by name in
//! the compiled-in GeoNames places) and the GPS of its photos, which wins. Pure.

use super::caption::Caption;
use super::post_sidecar::Position;
use crate::geo::forward::{self, Forward};

/// What the summary lists about a post's place.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Note {
    /// The caption names no place.
    NoPlace,
    /// The position is that of the city named: "Mississauga, Canada".
    FromCity(String),
    /// The city named could be several places; why, in words.
    Ambiguous(String),
    /// The city named is not in the place data: "Springfield, Canada".
    CityNotFound(String),
    /// The GPS position is in another country than the caption names; in words.
    GpsElsewhere(String),
}

/// Where a sign is, as far as the caption and the GPS tell.
#[derive(Debug, Default)]
pub(super) struct Located {
    pub place: Option<String>,
    pub city: Option<String>,
    /// ISO code and English name.
    pub country: Option<(String, String)>,
    pub position: Option<Position>,
    pub notes: Vec<Note>,
}

/// The caption's place line (the city found by name, its position unless GPS gives
/// one), or without one what the GPS says, as the folder import finds it.
pub(super) fn locate(line: Option<&Caption>, gps: Option<(f64, f64)>) -> Located {
    let at_gps = gps.map(|(lat, lon)| Position::Gps { lat, lon });
    let (Some(c), Some(code)) = (line, line.and_then(|c| c.country)) else {
        return located_by_gps(gps);
    };
    let country =
        crate::geo::country_by_code(code).map(|c| (c.code.to_string(), c.name.to_string()));
    let country_name = country.as_ref().map_or(code.to_string(), |c| c.1.clone());
    let city = c.city.clone().unwrap_or_default();
    let words = format!("{city}, {country_name}");
    let mut out = Located {
        place: c.place.clone(),
        city: Some(city.clone()),
        country,
        position: at_gps.clone(),
        notes: Vec::new(),
    };
    let gps_country = gps.and_then(|(lat, lon)| crate::geo::locate::country_code_at(lat, lon));
    if let Some(elsewhere) = gps_country.filter(|g| *g != code) {
        let there = crate::geo::country_by_code(elsewhere).map_or(elsewhere, |c| c.name);
        out.notes.push(Note::GpsElsewhere(format!(
            "the photo's GPS is in {there}, the caption names {country_name}; the GPS is kept"
        )));
    }
    match forward::city_position(code, &city) {
        Forward::Found { lat, lon, name, .. } => {
            if at_gps.is_none() {
                out.position = Some(Position::City {
                    lat,
                    lon,
                    city: name.clone(),
                    country: country_name,
                });
                out.notes
                    .push(Note::FromCity(format!("{name}, {}", out.country_name())));
            }
            // GeoNames' name, as the GPS-placed signs of that city have it.
            out.city = Some(name);
        }
        Forward::Ambiguous(candidates) if at_gps.is_none() => {
            let list: Vec<String> = candidates
                .iter()
                .map(|c| {
                    format!(
                        "{} at {:.3}, {:.3} ({} people)",
                        c.name, c.lat, c.lon, c.population
                    )
                })
                .collect();
            let why = format!(
                "“{city}” in {country_name} may be any of: {}",
                list.join("; ")
            );
            out.position = Some(Position::Unknown(format!("{why}; write the position")));
            out.notes.push(Note::Ambiguous(why));
        }
        Forward::NotFound if at_gps.is_none() => {
            out.position = Some(Position::Unknown(format!(
                "no place called “{city}” in {country_name} is in glyph's place data"
            )));
            out.notes.push(Note::CityNotFound(words));
        }
        _ => {}
    }
    out
}

impl Located {
    fn country_name(&self) -> &str {
        self.country.as_ref().map_or("", |c| c.1.as_str())
    }
}

fn located_by_gps(gps: Option<(f64, f64)>) -> Located {
    let mut out = Located {
        notes: vec![Note::NoPlace],
        ..Located::default()
    };
    let Some((lat, lon)) = gps else {
        return out;
    };
    out.position = Some(Position::Gps { lat, lon });
    let country =
        crate::geo::locate::country_code_at(lat, lon).and_then(crate::geo::country_by_code);
    if let Some(c) = country {
        out.city = crate::geo::locate::city_near(c.code, lat, lon).map(|(n, _)| n.to_string());
        out.country = Some((c.code.to_string(), c.name.to_string()));
    }
    out
}
