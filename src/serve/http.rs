//! The preview server's HTTP side (axum): the site from memory with correct MIME types
//! and the site's own 404 page, the live-reload event stream, and the error page shown
//! instead of every page while the build is broken.
//!
//! The reload script is added to HTML responses here, on the way out, so it can never
//! end up in what `glyph build` writes.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::watch;
use tokio_stream::wrappers::WatchStream;
use tokio_stream::{Stream, StreamExt};

use super::site::{Lookup, MemSite};
use crate::diag::Diagnostic;
use crate::render::theme::Source;

/// The event stream's path; no site file can have it (glyph makes no `__glyph/`).
pub const EVENTS: &str = "/__glyph/events";

/// What the server shows now.
#[derive(Default)]
pub struct Snapshot {
    /// Bumped by every build, good or bad; pages reload when it changes.
    pub generation: u64,
    /// The last site that built.
    pub site: Arc<MemSite>,
    /// The problems of the last build when it failed (the error page), else `None`.
    pub failure: Option<Arc<Vec<Diagnostic>>>,
}

pub struct Shared {
    pub snapshot: RwLock<Snapshot>,
    /// The generation, for the event streams; `None` ends them (shutting down).
    pub events: watch::Sender<Option<u64>>,
    /// When serving on loopback, the only host names a request may carry, so a web page
    /// elsewhere cannot read the preview through DNS rebinding.
    pub allowed_hosts: Option<Vec<String>>,
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .fallback(page)
        .with_state(shared)
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = WatchStream::new(shared.events.subscribe())
        .take_while(Option::is_some)
        .map(|g| Ok(Event::default().data(g.unwrap_or_default().to_string())));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn page(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD").into_response();
    }
    if !host_allowed(shared.allowed_hosts.as_deref(), req.headers()) {
        return (StatusCode::FORBIDDEN, "unknown host").into_response();
    }
    let (generation, site, failure) = {
        let snap = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
        (snap.generation, snap.site.clone(), snap.failure.clone())
    };
    let lookup = site.lookup(req.uri().path());
    let wants_page = match &lookup {
        Lookup::File(key) => key.ends_with(".html"),
        _ => true,
    };
    if let (Some(problems), true) = (failure, wants_page) {
        let html = error_page(&problems, generation);
        return html_response(StatusCode::INTERNAL_SERVER_ERROR, html.into_bytes());
    }
    match lookup {
        Lookup::File(key) => file_response(&site, &key, StatusCode::OK, generation).await,
        Lookup::Redirect(to) => {
            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
        }
        Lookup::NotFound if site.get("404.html").is_some() => {
            file_response(&site, "404.html", StatusCode::NOT_FOUND, generation).await
        }
        Lookup::NotFound => html_response(
            StatusCode::NOT_FOUND,
            with_reload(
                b"<!doctype html><title>Not found</title><h1>Not found</h1>",
                generation,
            ),
        ),
    }
}

async fn file_response(site: &MemSite, key: &str, status: StatusCode, generation: u64) -> Response {
    let bytes = match site.get(key) {
        Some(Source::Embedded(b)) => b.to_vec(),
        Some(Source::File(p)) => match tokio::fs::read(p).await {
            Ok(b) => b,
            Err(e) => {
                let msg = format!("cannot read {}: {e}", p.display());
                return (StatusCode::INTERNAL_SERVER_ERROR, msg).into_response();
            }
        },
        None => return StatusCode::NOT_FOUND.into_response(),
    };
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    if mime == mime_guess::mime::TEXT_HTML {
        return html_response(status, with_reload(&bytes, generation));
    }
    let mut content_type = mime.essence_str().to_string();
    if mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "json" | "xml" | "javascript" | "atom+xml"
        )
    {
        content_type.push_str("; charset=utf-8");
    }
    let mut resp = (status, bytes).into_response();
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

fn html_response(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

fn host_allowed(allowed: Option<&[String]>, headers: &HeaderMap) -> bool {
    let Some(allowed) = allowed else {
        return true;
    };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        // HTTP/1.0 clients send no Host; they cannot be a rebinding browser.
        return true;
    };
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    allowed.iter().any(|a| a.eq_ignore_ascii_case(name))
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The script that reloads the page when a build with another generation finishes.
/// It reconnects by itself (EventSource does) when the server restarts.
fn reload_script(generation: u64) -> String {
    format!(
        "<script>(function(){{var g=\"{generation}\";var s=new EventSource(\"{EVENTS}\");\
s.onmessage=function(e){{if(e.data!==g){{s.close();location.reload();}}}};}})();</script>"
    )
}

/// `html` with the reload script before `</body>` (or at the end).
pub fn with_reload(html: &[u8], generation: u64) -> Vec<u8> {
    let script = reload_script(generation);
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The page every HTML request gets while the build is broken: each problem with its
/// file, line and hint. It reloads by itself once the curator fixes the file.
pub fn error_page(problems: &[Diagnostic], generation: u64) -> String {
    let errors = problems.iter().filter(|d| d.is_error()).count();
    let mut items = String::new();
    for d in problems {
        let class = if d.is_error() { "error" } else { "warning" };
        let location = d.location().unwrap_or_default();
        items.push_str(&format!(
            "<li class=\"{class}\"><span class=\"what\">{class}</span> <code>{}</code><p>{}</p>{}</li>",
            escape(&location),
            escape(&d.message),
            d.hint
                .as_ref()
                .map(|h| format!("<p class=\"hint\">hint: {}</p>", escape(h)))
                .unwrap_or_default(),
        ));
    }
    let title = format!(
        "The build failed with {}",
        crate::util::plural(errors, "error")
    );
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{title} · glyph serve</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}\
h1{{font-size:1.4rem;color:#b00020}}ul{{list-style:none;padding:0}}li{{border-left:4px solid #b00020;padding:.5rem 1rem;margin:1rem 0;background:#fff5f5}}\
li.warning{{border-color:#b8860b;background:#fffbea}}.what{{font-weight:bold;text-transform:uppercase;font-size:.8rem}}\
p{{margin:.3rem 0}}.hint{{color:#555}}code{{font-size:.95rem}}</style></head><body>\
<h1>{title}</h1><p>The last good version of the site is not shown until this is fixed; \
this page reloads by itself when you save.</p><ul>{items}</ul>{script}</body></html>",
        script = reload_script(generation),
    )
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = String::from_utf8(with_reload(b"<html><BODY>x</Body></html>", 7)).unwrap();
        assert!(out.contains("x<script>"), "{out}");
        assert!(out.ends_with("</script></Body></html>"), "{out}");
        let bare = String::from_utf8(with_reload(b"plain", 1)).unwrap();
        assert!(bare.starts_with("plain<script>"));
    }

    #[test]
    fn error_page_escapes_what_the_curator_wrote() {
        let d = Diagnostic::error("unknown key `<script>`")
            .file("photos/a.yaml")
            .at(3, 1)
            .hint("did you mean `tags`?");
        let html = error_page(&[d], 2);
        assert!(html.contains("photos/a.yaml:3:1"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("`<script>`"));
    }

    #[test]
    fn hosts_outside_loopback_are_refused() {
        let allowed = vec!["localhost".to_string(), "127.0.0.1".to_string()];
        let with = |h: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::HOST, HeaderValue::from_str(h).unwrap());
            host_allowed(Some(&allowed), &m)
        };
        assert!(with("127.0.0.1:1111"));
        assert!(with("localhost:1111"));
        assert!(with("[::1]:1111"));
        assert!(!with("evil.example:1111"));
        assert!(!with("evil.example"));
    }
}
