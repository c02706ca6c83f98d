//! The content half of two languages: sidecar texts per language, `about.es.md` beside
//! `about.md`, what `glyph check` says lacks a translation and what `glyph import`
//! drafts, and the Spanish pages showing the Spanish texts. Sites of one language must
//! build as before.

use crate::common::*;

const SIGN: &str = "title: {en: Door, es: Puerta}\nalt:\n  en: Two figures\n  es: Dos figuras\n\
caption:\n  en: |\n    Spotted *here*.\n  es: |\n    Visto *aquí*.\nplace: Simons\ntags: [pictogram]\n";

#[test]
fn a_one_language_site_shows_the_default_text_and_no_translated_page() {
    let dir = site(
        &[("Canon_40D.jpg", "a.jpg")],
        &[
            ("photos/a.yaml", SIGN),
            ("content/about.md", "---\ntitle: About\n---\nHello.\n"),
            ("content/about.es.md", "---\ntitle: Acerca de\n---\nHola.\n"),
            (
                "content/notes.v2.md",
                "---\ntitle: Notes\n---\nA dotted name.\n",
            ),
        ],
    );
    let outcome = build_site(dir.path());
    assert_ok(&outcome);
    let out = dir.path().join("public");
    let sign = page(&out, "signs/a/");
    assert_eq!(texts(&sign, "h1"), ["Door"]);
    let body = sign.root_element().text().collect::<String>();
    assert!(
        body.contains("Two figures") || body.contains("Spotted"),
        "{body}"
    );
    assert!(
        !body.contains("Puerta") && !body.contains("Visto"),
        "{body}"
    );
    // The translation is the page in Spanish, never a page of its own.
    assert!(out.join("about/index.html").exists());
    assert!(!out.join("about.es").exists() && !out.join("about-es").exists());
    assert!(
        out.join("notes-v2/index.html").exists(),
        "a dotted name is a page"
    );
    // On one language it is not published, and the build says why.
    let said: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        said.iter()
            .any(|d| d.contains("about.es.md") && d.contains("not published")),
        "{said:?}"
    );
    // signs.json keeps its shape: plain strings, no translations.
    let json = std::fs::read_to_string(out.join("signs.json")).unwrap();
    assert!(
        json.contains(r#""title":"Door""#) && !json.contains("translations"),
        "{json}"
    );
}

#[test]
fn a_text_in_no_language_is_an_error_at_its_line() {
    let dir = site(
        &[("Canon_40D.jpg", "a.jpg")],
        &[(
            "photos/a.yaml",
            "title: Door\ncaption:\n  en: Hi\n  sp: Hola\n",
        )],
    );
    let outcome = build_site(dir.path());
    assert!(!outcome.ok());
    let err = outcome.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert!(err.message.contains("`sp`"), "{err}");
    assert_eq!((err.line, err.column), (Some(4), Some(3)));
}

const TWO: &str = "title: T\nbase_url: https://glyphs.example.org/\nlanguages: [en, es]\n";

#[test]
fn check_lists_what_lacks_a_translation() {
    let dir = site(
        &[("Canon_40D.jpg", "a.jpg"), ("Kodak_CX7530.jpg", "b.jpg")],
        &[
            ("site.yaml", TWO),
            ("photos/a.yaml", SIGN),
            (
                "photos/b.yaml",
                "title: {en: Half, es: Medio}\nalt: {en: Letters}\ncaption: {en: Only English}\ntags: [art]\n",
            ),
            ("content/about.md", "---\ntitle: About\n---\nHello.\n"),
            ("content/contact.md", "---\ntitle: Contact\n---\nWrite.\n"),
            ("content/contact.es.md", "---\ntitle: Contacto\n---\nEscribe.\n"),
            ("i18n/es.yaml", "style.pictogram: Pictograma\n"),
        ],
    );
    let out = glyph(&["check"], dir.path());
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines = |needle: &str| said.lines().filter(|l| l.contains(needle)).count();
    assert!(
        said.contains("b.yaml") && said.contains("no `es` text for `alt`, `caption`"),
        "{said}"
    );
    assert_eq!(lines("a.yaml: warning: no `es`"), 0, "{said}");
    assert!(
        said.contains("about.md") && said.contains("write `about.es.md`"),
        "{said}"
    );
    assert!(!said.contains("contact.md: warning: no `es`"), "{said}");
    assert!(said.contains("no `es` name for the style `art`"), "{said}");
}

#[test]
fn import_drafts_a_placeholder_per_language() {
    let dir = site(&[], &[("site.yaml", TWO)]);
    let inbox = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("Canon_40D.jpg"), inbox.path().join("door.jpg")).unwrap();
    let out = import(inbox.path(), dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let drafted: Vec<_> = walkdir::WalkDir::new(dir.path().join("photos"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert_eq!(drafted.len(), 1);
    let text = &drafted[0];
    for want in ["# title:\n#   en:\n#   es:\n", "#   es: |\n"] {
        assert!(text.contains(want), "{text}");
    }
}

#[test]
fn signs_json_has_the_texts_of_each_language() {
    let dir = site(
        &[("Canon_40D.jpg", "a.jpg")],
        &[("site.yaml", TWO), ("photos/a.yaml", SIGN)],
    );
    assert_ok(&build_site(dir.path()));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("public/signs.json")).unwrap())
            .unwrap();
    let sign = &json["signs"][0];
    assert_eq!(sign["title"], "Door");
    assert_eq!(sign["translations"]["es"]["title"], "Puerta");
    assert_eq!(sign["translations"]["es"]["alt"], "Dos figuras");
    assert!(
        sign["translations"]["es"].get("place").is_none(),
        "a plain string is for all"
    );
}

#[test]
fn spanish_pages_show_the_spanish_texts_and_mark_what_fell_back() {
    // A plain string is every language's; a map without `es` falls back to English.
    let only_english = "title: {en: Exit}\nalt: An arrow\ntags: [pictogram]\n";
    let dir = site(
        &[("Canon_40D.jpg", "a.jpg"), ("Kodak_CX7530.jpg", "b.jpg")],
        &[
            ("site.yaml", TWO),
            ("photos/a.yaml", SIGN),
            ("photos/b.yaml", only_english),
            ("content/_index.md", "Welcome.\n"),
            ("content/_index.es.md", "Bienvenidos.\n"),
            (
                "content/about.md",
                "---\ntitle: About\nweight: 1\n---\nHello.\n",
            ),
            ("content/about.es.md", "---\ntitle: Acerca de\n---\nHola.\n"),
            ("content/faq.md", "---\ntitle: Questions\n---\nAsk.\n"),
        ],
    );
    let outcome = build_site(dir.path());
    assert_ok(&outcome);
    let out = dir.path().join("public");
    let sign = page(&out, "es/signs/a/");
    assert_eq!(texts(&sign, "h1"), ["Puerta"]);
    let body = sign.root_element().text().collect::<String>();
    assert!(
        body.contains("Visto") && !body.contains("Spotted"),
        "{body}"
    );
    let dates = texts(&sign, "time");
    assert!(
        !dates.is_empty() && dates.iter().all(|d| d.contains(" de ")),
        "dates in Spanish: {dates:?}"
    );
    // The English-only sign is published in Spanish with its English title, marked so.
    let b = page(&out, "es/signs/b/");
    assert_eq!(texts(&b, "h1"), ["Exit"]);
    assert!(
        select(&b, "[lang=en]")
            .iter()
            .any(|e| e.text().collect::<String>().contains("Exit")),
        "the fallback title carries lang=en"
    );
    // Pages and the home introduction: translated where a translation exists.
    let about = page(&out, "es/about/");
    assert_eq!(texts(&about, "h1"), ["Acerca de"]);
    let home = page(&out, "es/");
    let home_text = home.root_element().text().collect::<String>();
    assert!(home_text.contains("Bienvenidos") && !home_text.contains("Welcome"));
    assert!(
        texts(&home, "nav a").iter().any(|a| a == "Acerca de"),
        "the menu names the translated page"
    );
    let faq = page(&out, "es/faq/");
    assert!(
        select(&faq, "[lang=en]")
            .iter()
            .any(|e| e.text().collect::<String>().contains("Ask")),
        "an untranslated page is marked lang=en"
    );
}
