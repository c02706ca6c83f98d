//! Dates and numbers as each language writes them, per CLDR's long date format and
//! decimal pattern. English is byte for byte what glyph printed before languages
//! existed ("3 June 2017", as `%-d %B %Y`), not CLDR's American "June 3, 2017".

use chrono::{Datelike, NaiveDate};

use super::primary;

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// CLDR's Spanish month names: lower case, as Spanish writes them inside a date.
const ES_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// The name of `month` (1–12) in `lang`, as used inside a date; English for a
/// language glyph has no data for, and "" for a month that is not one.
pub fn month_name(month: u32, lang: &str) -> &'static str {
    let names = match primary(lang).as_str() {
        "es" => &ES_MONTHS,
        _ => &EN_MONTHS,
    };
    month
        .checked_sub(1)
        .and_then(|i| names.get(i as usize))
        .copied()
        .unwrap_or("")
}

/// A day in full: "3 June 2017", "3 de junio de 2017".
pub fn date(d: NaiveDate, lang: &str) -> String {
    let month = month_name(d.month(), lang);
    match primary(lang).as_str() {
        "es" => format!("{} de {month} de {}", d.day(), d.year()),
        _ => format!("{} {month} {}", d.day(), d.year()),
    }
}

/// A month of a year: "June 2017", "junio de 2017".
pub fn month_year(d: NaiveDate, lang: &str) -> String {
    let month = month_name(d.month(), lang);
    match primary(lang).as_str() {
        "es" => format!("{month} de {}", d.year()),
        _ => format!("{month} {}", d.year()),
    }
}

/// A whole number with the language's group separator: "12,345" in English; "12.345"
/// in Spanish, which (CLDR's minimumGroupingDigits = 2) leaves four digits whole:
/// "1234". The minus sign is ASCII, as glyph prints it elsewhere.
pub fn number(n: i64, lang: &str) -> String {
    let (sep, min_grouping) = match primary(lang).as_str() {
        "es" => ('.', 2),
        _ => (',', 1),
    };
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    // Grouping starts once the number has `min_grouping` digits beyond the first group.
    if digits.len() < 3 + min_grouping {
        return format!("{sign}{digits}");
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn english_dates_are_as_before() {
        for s in ["2017-06-03", "2024-12-25", "1999-01-31"] {
            let d = day(s);
            assert_eq!(date(d, "en"), d.format("%-d %B %Y").to_string());
        }
        assert_eq!(date(day("2017-06-03"), "en-GB"), "3 June 2017");
        assert_eq!(
            date(day("2017-06-03"), "fr"),
            "3 June 2017",
            "English serves"
        );
    }

    #[test]
    fn spanish_dates_and_months() {
        assert_eq!(date(day("2017-06-03"), "es"), "3 de junio de 2017");
        assert_eq!(date(day("2024-09-21"), "es-MX"), "21 de septiembre de 2024");
        assert_eq!(month_year(day("2017-06-03"), "es"), "junio de 2017");
        assert_eq!(month_year(day("2017-06-03"), "en"), "June 2017");
        assert_eq!(month_name(1, "es"), "enero");
        assert_eq!(month_name(12, "en"), "December");
        assert_eq!(month_name(13, "en"), "");
        assert_eq!(month_name(0, "es"), "");
    }

    #[test]
    fn numbers_group_as_cldr_says() {
        let en: Vec<_> = [0, 999, 1234, 12345, 1234567, -1234]
            .iter()
            .map(|&n| number(n, "en"))
            .collect();
        assert_eq!(en, ["0", "999", "1,234", "12,345", "1,234,567", "-1,234"]);
        let es: Vec<_> = [999, 1234, 9999, 12345, 123456, 1234567, -12345]
            .iter()
            .map(|&n| number(n, "es"))
            .collect();
        assert_eq!(
            es,
            [
                "999",
                "1234",
                "9999",
                "12.345",
                "123.456",
                "1.234.567",
                "-12.345"
            ]
        );
        assert_eq!(number(i64::MIN, "en"), "-9,223,372,036,854,775,808");
    }
}
