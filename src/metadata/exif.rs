//! EXIF facts from a photo's bytes (kamadak-exif): GPS, capture time, orientation, camera.
//!
//! A pure function of the bytes. Broken or implausible values are dropped with a
//! warning rather than published: a zero denominator, a GPS reference of `X`, a
//! latitude of 97°, or the (0, 0) "null island" some phones write without a fix.

use std::io::Cursor;

use chrono::{FixedOffset, NaiveDateTime};
use exif::{In, Reader, Tag, Value};
use serde::{Deserialize, Serialize};

use super::sidecar::{LatLon, SignDate};

/// What a photo's EXIF says that glyph uses, read leniently: a bad value is left out
/// with a warning, never an error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExifFacts {
    /// The GPS position `(lat, lon)` in degrees, when it is valid.
    pub location: Option<(f64, f64)>,
    /// `DateTimeOriginal` as written (local time of the camera).
    pub taken: Option<NaiveDateTime>,
    /// `OffsetTimeOriginal`, seconds east of UTC.
    pub offset_seconds: Option<i32>,
    /// 1–8; 1 when absent or invalid.
    pub orientation: u8,
    /// The camera's maker, as written.
    pub make: Option<String>,
    /// The camera's model, as written.
    pub model: Option<String>,
    /// Problems worth telling the curator about, without a file name yet.
    pub warnings: Vec<String>,
}

impl ExifFacts {
    pub(crate) fn location(&self) -> Option<LatLon> {
        self.location.map(|(lat, lon)| LatLon { lat, lon })
    }

    pub(crate) fn date(&self) -> Option<SignDate> {
        let taken = self.taken?;
        Some(SignDate {
            date: taken.date(),
            time: Some(taken.time()),
            offset: self.offset_seconds.and_then(FixedOffset::east_opt),
        })
    }

    /// "Canon EOS 40D", without repeating the make when the model already has it.
    pub fn camera(&self) -> Option<String> {
        match (&self.make, &self.model) {
            (Some(make), Some(model)) => {
                let first = make.split_whitespace().next().unwrap_or("").to_lowercase();
                if model.to_lowercase().starts_with(&first) {
                    Some(model.clone())
                } else {
                    Some(format!("{make} {model}"))
                }
            }
            (None, Some(m)) | (Some(m), None) => Some(m.clone()),
            (None, None) => None,
        }
    }
}

/// The TIFF data of a WebP's `EXIF` chunk that starts with JPEG's `Exif\0\0` header,
/// as several tools write it (exiftool reads it with a warning). The WebP spec wants
/// the TIFF header first, so kamadak-exif reads the prefix as a bad byte order.
fn webp_exif_with_prefix(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return None;
    }
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().ok()?) as usize;
        let data = bytes.get(at + 8..(at + 8).checked_add(size)?)?;
        if &bytes[at..at + 4] == b"EXIF" {
            return data.strip_prefix(b"Exif\0\0");
        }
        at += 8 + size + (size & 1);
    }
    None
}

/// Read the EXIF of a JPEG, PNG, WebP, TIFF or HEIF file. No EXIF is not a problem;
/// unreadable EXIF is a warning, and whatever could be read is still used.
pub fn read_exif(bytes: &[u8]) -> ExifFacts {
    let mut facts = ExifFacts {
        orientation: 1,
        ..ExifFacts::default()
    };
    let mut reader = Reader::new();
    reader.continue_on_error(true);
    let read = match webp_exif_with_prefix(bytes) {
        Some(tiff) => reader.read_raw(tiff.to_vec()),
        None => reader.read_from_container(&mut Cursor::new(bytes)),
    };
    let exif = match read {
        Ok(e) => e,
        Err(exif::Error::NotFound(_)) => return facts,
        Err(e @ exif::Error::PartialResult(_)) => {
            let mut problems = Vec::new();
            let exif = e.distill_partial_result(|errs| {
                problems = errs.iter().map(|e| e.to_string()).collect()
            });
            match exif {
                Ok(exif) => {
                    if !problems.is_empty() {
                        facts.warnings.push(format!(
                            "part of the EXIF data is damaged ({})",
                            problems.join("; ")
                        ));
                    }
                    exif
                }
                Err(e) => {
                    facts
                        .warnings
                        .push(format!("EXIF data is unreadable ({e})"));
                    return facts;
                }
            }
        }
        Err(e) => {
            // A file that is not an image at all is reported by imaging, not here.
            if !matches!(e, exif::Error::InvalidFormat("Unknown image format")) {
                facts
                    .warnings
                    .push(format!("EXIF data is unreadable ({e})"));
            }
            return facts;
        }
    };

    facts.location = gps(&exif, &mut facts.warnings);
    // The capture time, with the offset written for that same time. `DateTime` is when
    // the file was last edited, not when the photo was taken, so it is not used.
    let mut invalid = None;
    for (time, offset) in [
        (Tag::DateTimeOriginal, Tag::OffsetTimeOriginal),
        (Tag::DateTimeDigitized, Tag::OffsetTimeDigitized),
    ] {
        let Some(written) = ascii(&exif, time) else {
            continue;
        };
        match parse_exif_datetime(&written) {
            Some(taken) => {
                facts.taken = Some(taken);
                facts.offset_seconds = ascii(&exif, offset).and_then(|s| parse_offset(&s));
                break;
            }
            // Cameras whose clock was never set write blanks or zeros: nothing to say.
            None if !written.chars().all(|c| " :0-".contains(c)) => {
                invalid.get_or_insert(written);
            }
            None => {}
        }
    }
    if let (None, Some(written)) = (facts.taken, invalid) {
        facts.warnings.push(format!(
            "the photo's EXIF date `{written}` cannot be read as a date, so it is not used"
        ));
    }
    facts.orientation = exif
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o))
        .map_or(1, |o| o as u8);
    facts.make = ascii(&exif, Tag::Make);
    facts.model = ascii(&exif, Tag::Model);
    facts
}

fn ascii(exif: &exif::Exif, tag: Tag) -> Option<String> {
    let field = exif.get_field(tag, In::PRIMARY)?;
    let Value::Ascii(parts) = &field.value else {
        return None;
    };
    let bytes = parts.first()?;
    let s = String::from_utf8_lossy(bytes);
    let s = s.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!s.is_empty()).then(|| s.to_string())
}

/// `2008:10:22 16:28:39`, and what software writes instead: `-` or `/` in the date,
/// a `T`, sub-seconds or a zone after the seconds, no seconds, or a date alone
/// (taken as midnight). Cameras without a clock write blanks or zeros: `None`.
pub(crate) fn parse_exif_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, t.trim()),
        None => (s, ""),
    };
    let date = date.replace(['-', '/'], ":");
    let date = chrono::NaiveDate::parse_from_str(&date, "%Y:%m:%d").ok()?;
    if time.is_empty() {
        return date.and_hms_opt(0, 0, 0);
    }
    let time = ["%H:%M:%S", "%H:%M"].into_iter().find_map(|f| {
        chrono::NaiveTime::parse_and_remainder(time, f)
            .ok()
            .filter(|(_, rest)| rest.is_empty() || rest.starts_with(['.', ',', 'Z', '+', '-']))
            .map(|(t, _)| t)
    })?;
    Some(date.and_time(time))
}

/// `+03:00` → 10800.
fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let digits = |s: &str| {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    let (h, m) = (digits(h)?, digits(m)?);
    (h <= 14 && m < 60).then(|| sign * (h * 3600 + m * 60))
}

fn gps(exif: &exif::Exif, warnings: &mut Vec<String>) -> Option<(f64, f64)> {
    let lat = exif.get_field(Tag::GPSLatitude, In::PRIMARY)?;
    let lon = exif.get_field(Tag::GPSLongitude, In::PRIMARY)?;
    let lat = match degrees(&lat.value) {
        Some(v) => v,
        None => {
            warnings.push("the GPS latitude is malformed (zero denominator or missing parts); location ignored".into());
            return None;
        }
    };
    let lon = match degrees(&lon.value) {
        Some(v) => v,
        None => {
            warnings.push("the GPS longitude is malformed (zero denominator or missing parts); location ignored".into());
            return None;
        }
    };
    let lat_sign = reference(exif, Tag::GPSLatitudeRef, 'N', 'S', warnings)?;
    let lon_sign = reference(exif, Tag::GPSLongitudeRef, 'E', 'W', warnings)?;
    let (lat, lon) = (lat * lat_sign, lon * lon_sign);
    if lat.abs() > 90.0 || lon.abs() > 180.0 {
        warnings.push(format!(
            "the GPS position {lat:.5}, {lon:.5} is impossible; location ignored"
        ));
        return None;
    }
    if lat == 0.0 && lon == 0.0 {
        warnings.push("the GPS position is 0, 0 (a phone without a fix); location ignored".into());
        return None;
    }
    Some((lat, lon))
}

/// Degrees, minutes and seconds as three rationals (some writers give one or two).
fn degrees(v: &Value) -> Option<f64> {
    let parts: Vec<f64> = match v {
        Value::Rational(r) => r
            .iter()
            .map(|r| (r.denom != 0).then(|| r.to_f64()))
            .collect::<Option<_>>()?,
        Value::SRational(r) => r
            .iter()
            .map(|r| (r.denom != 0).then(|| r.to_f64()))
            .collect::<Option<_>>()?,
        _ => return None,
    };
    if parts.is_empty() || parts.iter().any(|p| !p.is_finite() || *p < 0.0) {
        return None;
    }
    Some(
        parts
            .iter()
            .zip([1.0, 60.0, 3600.0])
            .map(|(p, d)| p / d)
            .sum(),
    )
}

fn reference(
    exif: &exif::Exif,
    tag: Tag,
    pos: char,
    neg: char,
    warnings: &mut Vec<String>,
) -> Option<f64> {
    let Some(r) = ascii(exif, tag) else {
        // Without a reference the hemisphere is a guess; most writers that omit it mean N/E.
        warnings.push(format!("{tag} is missing; assumed {pos}"));
        return Some(1.0);
    };
    match r.chars().next().map(|c| c.to_ascii_uppercase()) {
        Some(c) if c == pos => Some(1.0),
        Some(c) if c == neg => Some(-1.0),
        _ => {
            warnings.push(format!(
                "{tag} is `{r}`, not {pos} or {neg}; location ignored"
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse() {
        assert_eq!(parse_offset("+03:00"), Some(10800));
        assert_eq!(parse_offset("-05:30"), Some(-19800));
        assert_eq!(parse_offset("   :  "), None);
        assert_eq!(parse_offset("+999999:00"), None);
        assert_eq!(parse_offset("+-3:00"), None);
    }

    #[test]
    fn blank_dates_are_absent() {
        assert!(parse_exif_datetime("    :  :     :  :  ").is_none());
        assert!(parse_exif_datetime("0000:00:00 00:00:00").is_none());
        assert!(parse_exif_datetime("2008:10:22 16:28:39").is_some());
        let at = |s| parse_exif_datetime(s).map(|t| t.to_string());
        for (written, read) in [
            ("2019:05:30 15:56:01.123", "2019-05-30 15:56:01"),
            ("2019/05/30 15:56:01", "2019-05-30 15:56:01"),
            ("2019-05-30T15:56:01+02:00", "2019-05-30 15:56:01"),
            ("2019:05:30 15:56", "2019-05-30 15:56:00"),
            ("2019:05:30", "2019-05-30 00:00:00"),
            (" 2019:05:30 15:56:01\0", "2019-05-30 15:56:01"),
        ] {
            assert_eq!(at(written).as_deref(), Some(read), "{written}");
        }
        for impossible in [
            "2020:13:45 25:61:61",
            "2019:05:30 15:56:01 junk",
            "yesterday",
        ] {
            assert_eq!(at(impossible), None, "{impossible}");
        }
    }

    #[test]
    fn garbage_has_no_exif_and_no_panic() {
        for bytes in [
            &b""[..],
            b"not an image",
            &[0xff, 0xd8, 0xff, 0xe1, 0, 2][..],
        ] {
            let f = read_exif(bytes);
            assert_eq!(f.orientation, 1);
            assert!(f.location.is_none());
        }
    }

    #[test]
    fn camera_name_does_not_repeat_the_make() {
        let f = ExifFacts {
            make: Some("Canon".into()),
            model: Some("Canon EOS 40D".into()),
            ..Default::default()
        };
        assert_eq!(f.camera().as_deref(), Some("Canon EOS 40D"));
        let f = ExifFacts {
            make: Some("NIKON".into()),
            model: Some("COOLPIX P6000".into()),
            ..Default::default()
        };
        assert_eq!(f.camera().as_deref(), Some("NIKON COOLPIX P6000"));
    }
}
