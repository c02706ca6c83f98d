//! Reverse-geocoding answers remembered between builds (in the cache manifest), so a
//! build whose photos did not move never loads the boundary and place data at all.
//!
//! Answers are keyed by the exact coordinates asked about, and the whole memo is tied
//! to the glyph binary that answered (its data and its rules): another glyph looks
//! every point up again.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{country_by_code, locate, Country};
use crate::util::binary_id;

/// The question: "which country" (empty `in_country`) or "which city in this country".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
struct Question {
    in_country: String,
    lat_bits: u64,
    lon_bits: u64,
}

/// What the cache keeps.
#[derive(Debug, Default, Clone, Hash, Serialize, Deserialize)]
pub(crate) struct GeoMemo {
    data: u64,
    answers: Vec<(Question, Option<String>)>,
}

/// Looks places up, remembering what it was asked. Safe to share between threads.
#[derive(Debug, Default)]
pub(crate) struct Geocoder {
    known: HashMap<Question, Option<String>>,
    asked: Mutex<HashMap<Question, Option<String>>>,
}

impl Geocoder {
    /// A geocoder that starts from the answers of an earlier build.
    pub(crate) fn remembering(memo: GeoMemo) -> Geocoder {
        let known = if Some(memo.data) == binary_id() {
            memo.answers.into_iter().collect()
        } else {
            HashMap::new()
        };
        Geocoder {
            known,
            asked: Mutex::default(),
        }
    }

    /// The answers given in this build only, so answers for photos that are gone or
    /// moved do not pile up.
    pub(crate) fn into_memo(self) -> GeoMemo {
        let mut answers: Vec<_> = self
            .asked
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect();
        answers.sort();
        GeoMemo {
            data: binary_id().unwrap_or(0),
            answers,
        }
    }

    /// The country the point is in; `None` at sea.
    pub(crate) fn country_at(&self, lat: f64, lon: f64) -> Option<Country> {
        let code = self.ask(String::new(), lat, lon, || {
            locate::country_code_at(lat, lon).map(str::to_string)
        })?;
        country_by_code(&code)
    }

    /// The city of `country` the point is in or nearest to, within `MAX_CITY_KM`.
    pub(crate) fn city_near(&self, country: &str, lat: f64, lon: f64) -> Option<String> {
        self.ask(country.to_string(), lat, lon, || {
            locate::city_near(country, lat, lon).map(|(name, _)| name.to_string())
        })
    }

    fn ask(
        &self,
        in_country: String,
        lat: f64,
        lon: f64,
        look_up: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        let q = Question {
            in_country,
            lat_bits: lat.to_bits(),
            lon_bits: lon.to_bits(),
        };
        let answer = match self.known.get(&q) {
            Some(a) => a.clone(),
            None => look_up(),
        };
        self.asked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(q, answer.clone());
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_answers_match_fresh_ones_and_only_used_ones_are_kept() {
        let fresh = Geocoder::default();
        let ca = fresh.country_at(43.6532, -79.3832).unwrap();
        assert_eq!(ca.code, "CA");
        let city = fresh.city_near("CA", 43.6532, -79.3832);
        assert_eq!(fresh.country_at(30.0, -40.0), None, "open Atlantic");
        let memo = fresh.into_memo();
        assert_eq!(memo.answers.len(), 3);

        let again = Geocoder::remembering(memo.clone());
        assert_eq!(again.known.len(), 3);
        assert_eq!(again.country_at(43.6532, -79.3832), Some(ca));
        assert_eq!(again.city_near("CA", 43.6532, -79.3832), city);
        assert_eq!(again.into_memo().answers.len(), 2, "only what was asked");

        let stale = GeoMemo { data: 1, ..memo };
        assert!(Geocoder::remembering(stale).known.is_empty());
    }
}
