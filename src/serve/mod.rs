//! `glyph serve`: the curator's live preview. Build the site into a preview folder in
//! the cache, serve it on loopback, watch the inputs, rebuild on every save and make
//! the browser reload.
//!
//! Rebuilds reuse a `pipeline::Session`: unchanged sidecars are not parsed again,
//! unchanged photos are not read, and only new photos are decoded. The preview folder
//! is the session's own (`Target::Preview`): a changed page is written in place, the
//! server reads theme files and renditions where they are, and it holds no page in
//! memory. A broken build keeps the server up and shows the error
//! page until the file is fixed. Nothing is written to the output folder, so a preview
//! (with drafts and the reload script) can never leak into a published site.

pub mod http;
pub mod site;
pub mod watch;

use std::collections::HashSet;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, RwLock};
use std::time::Instant;

use notify_debouncer_full::DebounceEventResult;

use crate::config::{Overrides, Site};
use crate::diag::{rel, Diagnostic};
use crate::pipeline::{self, BuildOptions, BuildOutcome, Session, Target};
use crate::util::{one_or_many, plural};
use http::{Shared, Snapshot};
use site::MemSite;

/// How many ports above the asked one to try when it is taken.
const PORT_TRIES: u16 = 20;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 lets the system choose.
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
}

/// Serve until Ctrl-C (or SIGTERM). Errors are problems starting the server; a site
/// that does not build is not one (the browser shows it).
pub fn run(opts: &ServeOptions) -> Result<(), Diagnostic> {
    let root = std::fs::canonicalize(&opts.root).map_err(|e| {
        Diagnostic::error(format!(
            "cannot open the site folder {}: {e}",
            opts.root.display()
        ))
    })?;
    // A broken site.yaml is shown in the browser, but a folder that is no site at all
    // is a mistake in the command.
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(crate::config::not_a_site(&opts.root));
    }
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr().map_err(io_error)?;
    let url = format!("http://{}/", display_addr(addr));
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} lets other machines on the network see the preview",
            opts.bind
        );
    }

    let build_opts = BuildOptions {
        root: root.clone(),
        overrides: Overrides {
            base_url: Some(url.clone()),
            drafts: opts.drafts,
            output_dir: Some(preview_dir(&root)),
        },
        target: Target::Preview,
        live_reload: true,
        progress: true,
        ..BuildOptions::default()
    };
    clear_preview(&build_opts.overrides);
    let mut session = Session::default();
    let mut shown = HashSet::new();
    let started = Instant::now();
    let first = pipeline::build_in(&build_opts, &mut session);
    report(&first, "built", started, &mut shown);
    let (events, _) = tokio::sync::watch::channel(Some(1));
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Snapshot::default()),
        events,
        allowed_hosts: opts
            .bind
            .is_loopback()
            .then(|| vec!["localhost".to_string(), addr.ip().to_string()]),
    });
    publish(&shared, first);

    let (tx, rx) = mpsc::channel();
    let mut watcher = watch::Watcher::new(&root, tx)
        .map_err(|e| Diagnostic::error(format!("cannot watch {}: {e}", root.display())))?;
    let site = Site::load(&root, &build_opts.overrides).ok();
    warn_unwatched(&root, watcher.watch(watch::inputs(&root, site.as_ref())));
    {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("glyph-rebuild".into())
            .spawn(move || rebuild_loop(build_opts, session, shared, rx, watcher, site, shown))
            .map_err(io_error)?;
    }

    println!("Serving the site at {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    if opts.open {
        if let Err(e) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(io_error)?;
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(io_error)?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(io_error)?;
        let app = http::router(shared.clone());
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                stop_signal().await;
                // Ends the open event streams, which would otherwise hold the shutdown.
                shared.events.send_replace(None);
            })
            .await
            .map_err(io_error)
    })?;
    eprintln!("Stopped.");
    Ok(())
}

fn io_error(e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("the preview server failed: {e}"))
}

/// Bind `port`, or the next free one above it.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, Diagnostic> {
    let tries = if port == 0 { 1 } else { PORT_TRIES };
    let mut last = None;
    for p in (0..tries).filter_map(|i| port.checked_add(i)) {
        match TcpListener::bind(SocketAddr::new(ip, p)) {
            Ok(l) => {
                if p != port {
                    eprintln!("Port {port} is taken; using {p}.");
                }
                return Ok(l);
            }
            Err(e) => last = Some(e),
        }
    }
    let e = last.map(|e| e.to_string()).unwrap_or_default();
    Err(Diagnostic::error(format!(
        "cannot listen on {ip} port {port} or the {} above it: {e}",
        tries - 1
    ))
    .hint("pick another with --port, or stop the other `glyph serve`"))
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        // A browser cannot open 0.0.0.0; the machine's loopback is what the curator wants.
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{}", addr.port()),
        _ => addr.to_string(),
    }
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Where the preview is built: in the site's cache (as `site.yaml` places it), never
/// in its output folder.
fn preview_dir(root: &Path) -> PathBuf {
    let cache = Site::load(root, &Overrides::default())
        .map(|s| s.cache)
        .unwrap_or_else(|_| root.join(".glyph-cache"));
    cache.join("preview")
}

/// Start from an empty preview folder: the session knows nothing of what an earlier
/// one left there. The old one is moved aside and deleted while the site builds.
fn clear_preview(overrides: &Overrides) {
    let Some(dir) = &overrides.output_dir else {
        return;
    };
    if !dir.exists() {
        return;
    }
    let old = dir.with_extension(format!("old-{}", std::process::id()));
    if std::fs::rename(dir, &old).is_ok() {
        let _ = std::thread::Builder::new()
            .name("glyph-clear".into())
            .spawn(move || std::fs::remove_dir_all(old));
    } else {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Put a build's result on show and tell the browsers.
fn publish(shared: &Shared, outcome: BuildOutcome) {
    let generation = {
        let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
        snap.generation += 1;
        match outcome.report {
            Some(r) => {
                snap.site = Arc::new(match (&r.preview, &r.output) {
                    (Some(files), _) => MemSite::preview(files),
                    (None, Some(dir)) => MemSite::on_disk(dir, &r.output_files),
                    (None, None) => MemSite::default(),
                });
                snap.failure = None;
            }
            None => snap.failure = Some(Arc::new(outcome.diagnostics)),
        }
        snap.generation
    };
    shared.events.send_replace(Some(generation));
}

fn rebuild_loop(
    opts: BuildOptions,
    mut session: Session,
    shared: Arc<Shared>,
    rx: mpsc::Receiver<DebounceEventResult>,
    mut watcher: watch::Watcher,
    mut site: Option<Site>,
    mut shown: HashSet<String>,
) {
    let root = opts.root.clone();
    while let Ok(first) = rx.recv() {
        let started = Instant::now();
        let mut changed = paths(first);
        // Changes that arrived while the last build ran are folded into this one.
        while let Ok(more) = rx.try_recv() {
            changed.extend(paths(more));
        }
        changed.retain(|p| watch::matters(p, &root, site.as_ref()));
        changed.sort();
        changed.dedup();
        let Some(first_change) = changed.first() else {
            continue;
        };
        let what = match changed.len() {
            1 => format!("{} changed", rel(&root, first_change).display()),
            n => format!("{n} files changed"),
        };
        let outcome = pipeline::build_in(&opts, &mut session);
        report(&outcome, &what, started, &mut shown);
        publish(&shared, outcome);
        // site.yaml may have moved the photos or content folder.
        site = Site::load(&root, &opts.overrides).ok();
        warn_unwatched(&root, watcher.watch(watch::inputs(&root, site.as_ref())));
    }
}

fn paths(result: DebounceEventResult) -> Vec<PathBuf> {
    match result {
        Ok(events) => events
            .into_iter()
            .filter(|e| watch::is_change(&e.event.kind))
            .flat_map(|e| e.event.paths)
            .collect(),
        Err(errors) => {
            for e in errors {
                eprintln!("warning: watching for changes: {e}");
            }
            Vec::new()
        }
    }
}

fn warn_unwatched(root: &Path, failed: Vec<(PathBuf, notify::Error)>) {
    for (dir, e) in failed {
        eprintln!(
            "warning: cannot watch {} for changes: {e}",
            rel(root, &dir).display()
        );
    }
}

/// One line per build on stderr; errors every time, each warning only the first time
/// it appears, so a long session is not drowned in the same advice.
fn report(outcome: &BuildOutcome, what: &str, started: Instant, shown: &mut HashSet<String>) {
    let fresh: Vec<Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error() || shown.insert(d.to_string()))
        .cloned()
        .collect();
    crate::diag::eprint_all(&fresh);
    let ms = started.elapsed().as_millis();
    match &outcome.report {
        Some(r) => eprintln!(
            "{what}: {} signs, {} pages in {ms} ms ({} images made)",
            r.signs, r.pages, r.images_made
        ),
        None => {
            let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{what}: the build failed with {} in {ms} ms; the browser shows {}",
                plural(errors, "error"),
                one_or_many(errors, "it", "them")
            );
        }
    }
}
