//! Structured data for search engines and link previews: a sign as a schema.org
//! `Photograph` in JSON-LD, made from the same sign value the templates get.
//!
//! It is a Tera filter (`{{ sign | json_ld(base_url=site.base_url) | safe }}`) because
//! the JSON must be escaped for a `<script>` element, which autoescaping does not do:
//! `<`, `>` and `&` become `\u003c`, `\u003e` and `\u0026`, so a title holding
//! `</script>` cannot end the element early.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

/// The `json_ld` filter: a sign value → a JSON-LD document, ready for a script element.
pub fn json_ld(sign: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let base = args
        .get("base_url")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim_end_matches('/');
    let root = args.get("root").and_then(Value::as_str).unwrap_or("/");
    let abs = |url: &str| -> String {
        if url.starts_with("http://") || url.starts_with("https://") {
            url.to_string()
        } else {
            format!(
                "{base}/{}",
                url.strip_prefix(root)
                    .unwrap_or(url)
                    .trim_start_matches('/')
            )
        }
    };
    let s = |key: &str| {
        sign.get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let full = &sign["image"]["full"];
    let mut doc = Map::new();
    doc.insert("@context".into(), json!("https://schema.org"));
    doc.insert("@type".into(), json!("Photograph"));
    if let Some(t) = s("title") {
        doc.insert("name".into(), json!(t));
    }
    if let Some(u) = s("permalink").or(s("url")) {
        doc.insert("url".into(), json!(abs(u)));
    }
    if let Some(a) = s("alt") {
        doc.insert("description".into(), json!(a));
    }
    if let Some(d) = s("date") {
        doc.insert("dateCreated".into(), json!(d));
    }
    if let Some(url) = full.get("url").and_then(Value::as_str) {
        let mut image = Map::new();
        image.insert("@type".into(), json!("ImageObject"));
        image.insert("contentUrl".into(), json!(abs(url)));
        for key in ["width", "height"] {
            if let Some(v) = full.get(key) {
                image.insert(key.into(), v.clone());
            }
        }
        if let Some(a) = s("alt") {
            image.insert("caption".into(), json!(a));
        }
        doc.insert("image".into(), Value::Object(image));
    }
    if let Some(tags) = sign.get("tags").and_then(Value::as_array) {
        let words: Vec<&str> = tags.iter().filter_map(|t| t["name"].as_str()).collect();
        if !words.is_empty() {
            doc.insert("keywords".into(), json!(words.join(", ")));
        }
    }
    if let Some(c) = s("credit") {
        doc.insert("creditText".into(), json!(c));
    }
    if let Some(place) = place(sign) {
        doc.insert("contentLocation".into(), place);
    }
    Ok(Value::String(script_safe(&Value::Object(doc))))
}

/// The sign's `Place`: its name, city and country, and its (rounded) coordinates.
fn place(sign: &Value) -> Option<Value> {
    let text = |key: &str| {
        sign.get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let country = sign.get("country");
    let mut place = Map::new();
    place.insert("@type".into(), json!("Place"));
    let name: Vec<&str> = [text("place"), text("city")]
        .into_iter()
        .flatten()
        .chain(country.and_then(|c| c["name"].as_str()))
        .collect();
    if !name.is_empty() {
        place.insert("name".into(), json!(name.join(", ")));
    }
    let mut address = Map::new();
    address.insert("@type".into(), json!("PostalAddress"));
    if let Some(city) = text("city") {
        address.insert("addressLocality".into(), json!(city));
    }
    if let Some(code) = country.and_then(|c| c["code"].as_str()) {
        address.insert("addressCountry".into(), json!(code));
    }
    if address.len() > 1 {
        place.insert("address".into(), Value::Object(address));
    }
    if let Some(loc) = sign.get("location").filter(|l| l.is_object()) {
        place.insert(
            "geo".into(),
            json!({ "@type": "GeoCoordinates", "latitude": loc["lat"], "longitude": loc["lon"] }),
        );
    }
    (place.len() > 1).then_some(Value::Object(place))
}

/// JSON that can sit inside `<script>…</script>` whatever its strings hold.
pub fn script_safe(v: &Value) -> String {
    let text = serde_json::to_string(v).expect("JSON values serialise");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_becomes_a_photograph_in_a_place() {
        let sign = json!({
            "title": "</script><script>alert(1)</script>",
            "permalink": "/signs/a/",
            "alt": "Two pictograms",
            "date": "2017-06-03",
            "image": { "full": { "url": "/media/a-1600.ab.jpg", "width": 1600, "height": 1200 } },
            "tags": [{ "name": "pictogram" }, { "name": "art" }],
            "place": "Square One",
            "city": "Mississauga",
            "country": { "code": "CA", "name": "Canada" },
            "location": { "lat": 43.593, "lon": -79.642 },
        });
        let args = HashMap::from([
            ("base_url".to_string(), json!("https://example.org/glyphs/")),
            ("root".to_string(), json!("/glyphs/")),
        ]);
        let out = json_ld(&sign, &args).unwrap();
        let text = out.as_str().unwrap();
        assert!(!text.contains('<'), "{text}");
        let back: Value = serde_json::from_str(text).unwrap();
        assert_eq!(back["@type"], "Photograph");
        assert_eq!(back["name"], "</script><script>alert(1)</script>");
        assert_eq!(back["url"], "https://example.org/glyphs/signs/a/");
        assert_eq!(
            back["image"]["contentUrl"],
            "https://example.org/glyphs/media/a-1600.ab.jpg"
        );
        assert_eq!(back["keywords"], "pictogram, art");
        let place = &back["contentLocation"];
        assert_eq!(place["@type"], "Place");
        assert_eq!(place["name"], "Square One, Mississauga, Canada");
        assert_eq!(place["address"]["addressCountry"], "CA");
        assert_eq!(place["geo"]["latitude"], 43.593);
    }
}
