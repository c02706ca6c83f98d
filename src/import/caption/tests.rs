use super::*;

/// (place, city, country) of a caption.
fn place(caption: &str) -> (Option<String>, Option<String>, Option<&'static str>) {
    let c = parse(caption);
    (c.place, c.city, c.country)
}

fn some(
    place: Option<&str>,
    city: &str,
    cc: &'static str,
) -> (Option<String>, Option<String>, Option<&'static str>) {
    (place.map(str::to_string), Some(city.to_string()), Some(cc))
}

const NONE: (Option<String>, Option<String>, Option<&str>) = (None, None, None);

#[test]
fn the_projects_own_form() {
    let c =
        parse("Simons (Square One) – Mississauga, Canada.\nA classic.\n\n#toiletsign #Mississauga");
    assert_eq!(c.place.as_deref(), Some("Simons (Square One)"));
    assert_eq!(c.city.as_deref(), Some("Mississauga"));
    assert_eq!(c.country, Some("CA"));
    assert_eq!(c.text, "A classic.");
    assert_eq!(c.tags, ["toiletsign", "mississauga"]);
}

#[test]
fn every_separator_and_form() {
    let simons = some(Some("Simons (Square One)"), "Mississauga", "CA");
    for line in [
        "Simons (Square One) – Mississauga, Canada.",
        "Simons (Square One) — Mississauga, Canada",
        "Simons (Square One) - Mississauga, Canada",
        "Simons (Square One), Mississauga, Canada",
        "Simons (Square One) – Mississauga, ON, Canada.",
        "  Simons (Square One) – Mississauga , canada  ",
    ] {
        assert_eq!(place(line), simons, "{line}");
    }
    assert_eq!(
        place("Mississauga, Canada"),
        some(None, "Mississauga", "CA")
    );
    assert_eq!(
        place("Harpa, Reykjavík, Iceland"),
        some(Some("Harpa"), "Reykjavík", "IS")
    );
    // A hyphen inside a name is not a separator.
    assert_eq!(
        place("Basilique – Saint-Denis, France"),
        some(Some("Basilique"), "Saint-Denis", "FR")
    );
    assert_eq!(
        place("Saint-Denis, France."),
        some(None, "Saint-Denis", "FR")
    );
    // Only the last two separators count: the rest is the place, as written.
    assert_eq!(
        place("Terminal 1–3, Gate 5 – Tokyo, Japan"),
        some(Some("Terminal 1–3, Gate 5"), "Tokyo", "JP")
    );
}

#[test]
fn country_names_in_other_languages_and_short_forms() {
    for (line, city, cc) in [
        (
            "Mercado – Ciudad de México, México.",
            "Ciudad de México",
            "MX",
        ),
        ("Bahnhof – München, Deutschland", "München", "DE"),
        ("Estación – Madrid, España", "Madrid", "ES"),
        ("Museo – Berlín, Alemania", "Berlín", "DE"),
        ("Templo – Kioto, Japón", "Kioto", "JP"),
        ("Tienda – Nueva York, Estados Unidos", "Nueva York", "US"),
        ("Diner – Springfield, USA", "Springfield", "US"),
        ("Pub – London, UK", "London", "GB"),
        ("Café – Wien, Österreich", "Wien", "AT"),
        ("Station – Amsterdam, Nederland", "Amsterdam", "NL"),
        ("Shopping – São Paulo, Brasil", "São Paulo", "BR"),
        ("Kaffi – Reykjavik, ISLAND", "Reykjavik", "IS"),
    ] {
        assert_eq!(place(line).1.as_deref(), Some(city), "{line}");
        assert_eq!(place(line).2, Some(cc), "{line}");
    }
}

#[test]
fn icelandic_with_a_flag() {
    let c = parse("📍 Hallgrímskirkja – Reykjavík, Ísland 🇮🇸\nSnyrting, já takk! #klósett #Ísland");
    assert_eq!(c.place.as_deref(), Some("Hallgrímskirkja"));
    assert_eq!(c.city.as_deref(), Some("Reykjavík"));
    assert_eq!(c.country, Some("IS"));
    assert_eq!(c.text, "Snyrting, já takk!");
    assert_eq!(c.tags, ["klosett", "island"]);
}

#[test]
fn japanese_with_japanese_commas() {
    let c = parse("渋谷駅 – 東京、日本 🚻\nトイレのサイン。\n#トイレ #東京");
    assert_eq!(
        place("渋谷駅 – 東京、日本 🚻"),
        some(Some("渋谷駅"), "東京", "JP")
    );
    assert_eq!(c.text, "トイレのサイン。");
    assert_eq!(c.tags.len(), 2);
    assert!(c.tags.iter().all(|t| !t.is_empty()), "{:?}", c.tags);
}

#[test]
fn spanish_caption() {
    let c = parse(
        "Baños del Museo Frida Kahlo – Ciudad de México, México.\n\
         Un letrero muy _bonito_ con @museofridakahlo.\n.\n.\n.\n#baño #Baño #señal #toiletsign",
    );
    assert_eq!(c.country, Some("MX"));
    assert_eq!(c.city.as_deref(), Some("Ciudad de México"));
    assert_eq!(c.text, r"Un letrero muy \_bonito\_ con @museofridakahlo.");
    assert_eq!(c.tags, ["bano", "senal", "toiletsign"]);
}

#[test]
fn emoji_after_the_country() {
    for line in [
        "Harpa – Reykjavík, Iceland 🇮🇸.",
        "Harpa – Reykjavík, Iceland. 😂🚽",
        "Harpa – Reykjavík, Iceland ❤️",
    ] {
        assert_eq!(
            place(line),
            some(Some("Harpa"), "Reykjavík", "IS"),
            "{line}"
        );
    }
}

#[test]
fn no_place_line_keeps_everything_as_text() {
    for caption in [
        "What a sign!",
        "Loved it, really",
        "Simons – Mississauga",
        "Canada",
        "We went there, and then we went back home after a very long day, Canada",
        "#toilet, Canada",
    ] {
        let c = parse(caption);
        assert_eq!(
            (c.place.clone(), c.city.clone(), c.country),
            NONE,
            "{caption}"
        );
    }
    let c = parse("Not a place line\nSimons – Mississauga, Canada");
    assert_eq!(c.city, None);
    assert_eq!(c.text, "Not a place line\nSimons – Mississauga, Canada");
}

#[test]
fn only_hashtags() {
    let c = parse("#ToiletSign #toiletsign #TOILETSIGN #pictogram");
    assert_eq!(c.text, "");
    assert_eq!(c.tags, ["toiletsign", "pictogram"]);
    assert_eq!(c.city, None);
}

#[test]
fn hashtags_in_sentences_stay_and_become_tags() {
    let c = parse("Seen at the #louvre with @ana_maria, lovely #pictogram\nNext line");
    assert_eq!(
        c.text,
        "Seen at the #louvre with @ana\\_maria, lovely #pictogram\nNext line"
    );
    assert_eq!(c.tags, ["louvre", "pictogram"]);
    // The last line's hashtags stay when they are part of its sentence...
    assert_eq!(parse("I love #toilets").text, "I love #toilets");
    // ...and leave when the sentence has ended.
    assert_eq!(parse("Great one! #toilet #sign").text, "Great one!");
    assert_eq!(parse("Great one 🚽 #toilet, #sign.").text, "Great one 🚽");
}

#[test]
fn not_hashtags() {
    let c = parse("C# and F#, issue #1, &#39; and a lone # here");
    assert!(c.tags.is_empty(), "{:?}", c.tags);
}

#[test]
fn crlf_line_ends() {
    let c = parse("Simons – Mississauga, Canada.\r\nLine one\r\n\r\nLine two\r\n#a #b\r\n");
    assert_eq!(c.city.as_deref(), Some("Mississauga"));
    assert_eq!(c.text, "Line one\n\nLine two");
    assert_eq!(c.tags, ["a", "b"]);
    assert!(c.original.contains("\r\n"));
}

#[test]
fn markdown_is_escaped() {
    let c = parse("# not a heading\n> not a quote\n- not a list\n1. not a list\n2019) nor this\n*bold* _it_ `code` [link](x) ~~s~~ a|b\n===\n\\ back");
    let want = [
        r"\# not a heading",
        r"\> not a quote",
        r"\- not a list",
        r"1\. not a list",
        r"2019\) nor this",
        r"\*bold\* \_it\_ \`code\` \[link\](x) \~\~s\~\~ a\|b",
        r"\===",
        r"\\ back",
    ];
    assert_eq!(c.text, want.join("\n"));
    // Each line renders as the text it is.
    let html =
        crate::render::markdown::to_html(&c.text, "/", crate::render::markdown::RawHtml::AsText);
    for text in [
        "# not a heading",
        "*bold* _it_ `code` [link](x) ~~s~~ a|b",
        "1. not a list",
    ] {
        assert!(
            html.contains(&text.replace('>', "&gt;")),
            "{text} in {html}"
        );
    }
    assert!(
        !html.contains("<h1") && !html.contains("<li") && !html.contains("<em"),
        "{html}"
    );
}

#[test]
fn original_is_verbatim() {
    let s = "  Simons – Mississauga, Canada.\r\n*x* #a\u{2800}\n";
    assert_eq!(parse(s).original, s);
}

#[test]
fn hostile_input() {
    let empty = parse("");
    assert_eq!((empty.place, empty.city, empty.country), NONE);
    assert_eq!((empty.text.as_str(), empty.tags.len()), ("", 0));
    for s in [
        "\n\n\r\n",
        "...",
        "#",
        "##",
        "# # #",
        "– – –",
        ", , ,",
        "!!!???",
        "🇮🇸",
        "\u{2800}",
    ] {
        let c = parse(s);
        assert_eq!(c.country, None, "{s:?}");
        assert_eq!(c.original, s);
    }
    let big = "Simons – Mississauga, Canada #a. ".repeat(3_200);
    let start = std::time::Instant::now();
    let c = parse(&big);
    assert!(start.elapsed().as_secs() < 2);
    assert_eq!(c.tags, ["a"]);
    let hashes = "#a".repeat(50_000);
    assert_eq!(parse(&hashes).tags, ["a"]);
    assert_eq!(parse(&hashes).text, "");
    assert_eq!(parse("#toilet#sign").tags, ["toilet", "sign"]);
    let commas = format!("{}Canada", "x, ".repeat(30_000));
    assert_eq!(parse(&commas).country, None);
}

#[test]
fn the_place_then_more_words_on_the_same_line() {
    let c = parse(
        "Café Central — Wien, Österreich 🇦🇹 Die #Damen links, die Herren rechts. @cafecentralwien",
    );
    assert_eq!(
        (c.place.as_deref(), c.city.as_deref(), c.country),
        (Some("Café Central"), Some("Wien"), Some("AT"))
    );
    assert_eq!(
        c.text,
        "Die #Damen links, die Herren rechts. @cafecentralwien"
    );
    assert_eq!(c.tags, ["damen"]);
    let c = parse("Bar Pinotxo - Barcelona, España. *Senyores* i _senyors_ #barcelona #wc");
    assert_eq!(
        (c.city.as_deref(), c.country),
        (Some("Barcelona"), Some("ES"))
    );
    // Hashtags after words that end no sentence stay (see `without_trailing_tags`).
    assert_eq!(c.text, r"\*Senyores\* i \_senyors\_ #barcelona #wc");
    let c = parse("Museo del Oro – Bogotá, Colombia 🇨🇴 @museodeloro #pictogram");
    assert_eq!(
        (c.place.as_deref(), c.country),
        (Some("Museo del Oro"), Some("CO"))
    );
    assert_eq!(c.text, "@museodeloro #pictogram");
    // The longest start that is a place: a full stop inside the name stays in it.
    let c = parse("St. Louis, USA. Great door");
    assert_eq!(
        (c.city.as_deref(), c.text.as_str()),
        (Some("St. Louis"), "Great door")
    );
    // README's example.
    let c = parse("Simons (Square One) – Mississauga, Canada. A classic. #pictogram #canada");
    assert_eq!(
        (c.place.as_deref(), c.text.as_str()),
        (Some("Simons (Square One)"), "A classic.")
    );
    assert_eq!(c.tags, ["pictogram", "canada"]);
    // A sentence that merely ends in a country is no place line.
    assert_eq!(parse("Un Taxi 🇨🇴 #bogota").country, None);
}
