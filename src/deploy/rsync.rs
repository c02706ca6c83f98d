//! The rsync target: a folder on a host reached over SSH, through the system `rsync`
//! and `ssh` (the user's keys, agent and `~/.ssh/config` apply).
//!
//! Each pass of the plan is one rsync run given exactly its files (`--files-from`), so
//! rsync neither walks the site nor asks the host about unchanged files. Images and
//! assets go first, then sign pages, other pages and the indexes, and deletions last:
//! rsync writes every file under a temporary name and renames it into place, so at no
//! moment does a visitor meet a page whose image is missing or half a file.
//!
//! Deleting is one `--delete` run whose filter rules let through only the deleted
//! files and the folders above them; everything else on the host is excluded, which
//! protects it from deletion, so nothing the site did not put there is ever deleted
//! and a folder that still holds such a file stays. (`--delete-missing-args` would
//! name the files more simply, but rsync 3.2.7 as patched by Debian in 2026 and 3.4.3
//! refuse it on the receiving side, rsync issue #910.)

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::error::last_words;
use super::plan::{passes, Pass, Plan};
use super::Error;
use crate::config::RsyncTarget;

/// A folder on a host, as configured.
#[derive(Debug, Clone)]
pub(crate) struct Rsync {
    dest: String,
    /// The `-e` command, when the config says how to reach the host; otherwise rsync
    /// uses `RSYNC_RSH` or plain `ssh`.
    rsh: Option<String>,
}

/// One file rsync reported, in the order it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// `send` or `del.`.
    pub(crate) op: String,
    /// Bytes that crossed the network for it.
    pub(crate) bytes: u64,
    pub(crate) path: String,
}

/// Marks rsync's lines about files among whatever else it prints.
const TAG: &str = "glyph-rsync";

impl Rsync {
    pub(crate) fn new(cfg: &RsyncTarget, root: &Path) -> Rsync {
        let dest = if cfg.dest.ends_with('/') {
            cfg.dest.clone()
        } else {
            format!("{}/", cfg.dest)
        };
        let rsh = (cfg.ssh.is_some() || cfg.port.is_some() || cfg.identity.is_some()).then(|| {
            let mut cmd = cfg
                .ssh
                .clone()
                .or_else(|| std::env::var("RSYNC_RSH").ok())
                .unwrap_or_else(|| "ssh".into());
            if let Some(port) = cfg.port {
                cmd.push_str(&format!(" -p {port}"));
            }
            if let Some(key) = &cfg.identity {
                cmd.push_str(" -i ");
                cmd.push_str(&quote(&home(key, root)));
            }
            cmd
        });
        Rsync { dest, rsh }
    }

    /// The target in words (an rsync destination names no password).
    pub(crate) fn describe(&self) -> String {
        format!("rsync {}", self.dest)
    }
}

/// `~/key` in the home folder, a relative path from the site's folder.
fn home(key: &Path, root: &Path) -> PathBuf {
    match (key.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(h)) => PathBuf::from(h).join(rest),
        _ if key.is_relative() => root.join(key),
        _ => key.to_path_buf(),
    }
}

/// A word for rsync's `-e` splitting, which honours single quotes.
fn quote(p: &Path) -> String {
    let s = p.to_string_lossy();
    if s.chars().any(|c| c.is_whitespace() || "'\"\\".contains(c)) {
        format!("'{}'", s.replace('\'', "'\\''"))
    } else {
        s.into_owned()
    }
}

/// Send `plan` from `public` in its passes, then delete. `each` hears of every file as
/// rsync reports it.
pub(crate) fn deploy(
    r: &Rsync,
    public: &Path,
    plan: &Plan,
    each: &mut dyn FnMut(&Line),
) -> Result<Vec<Line>, Error> {
    let mut lines = Vec::new();
    for (pass, files) in passes(plan) {
        lines.extend(run(r, public, Step::Send(pass, files), each)?);
    }
    if !plan.delete.is_empty() {
        lines.extend(run(r, public, Step::Delete(&plan.delete), each)?);
    }
    Ok(lines)
}

/// One rsync run.
#[derive(Clone, Copy)]
enum Step<'a> {
    /// Send exactly these files.
    Send(Pass, &'a [String]),
    /// Delete exactly these files from the host, and the folders they leave empty.
    Delete(&'a [String]),
}

impl Step<'_> {
    /// What rsync reads on its standard input: the files, or the filter rules.
    fn input(self) -> Vec<u8> {
        match self {
            Step::Send(_, files) => super::nul_list(files),
            Step::Delete(files) => super::nul_list(&delete_rules(files)),
        }
    }
}

/// The command for `step`: times kept, names taken literally (`-s`: a `dest` with
/// spaces reaches the host whole on any rsync since 3.0; `-8`: names are reported as
/// they are, not escaped in a C locale).
fn command(r: &Rsync, public: &Path, step: Step) -> Command {
    let mut cmd = Command::new("rsync");
    cmd.args(["-s", "-8", "--from0"]);
    cmd.arg(format!("--out-format={TAG} %o %b %n"));
    match step {
        // -I: a listed file changed, even when its size and second match what is there.
        Step::Send(..) => cmd.args(["--times", "--ignore-times", "--files-from=-"]),
        Step::Delete(_) => cmd.args(["--recursive", "--delete", "--include-from=-", "--exclude=*"]),
    };
    if let Some(rsh) = &r.rsh {
        cmd.arg("-e").arg(rsh);
    }
    let mut src = public.as_os_str().to_owned();
    src.push("/");
    cmd.arg("--").arg(src).arg(&r.dest);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Filter rules that let a `--delete` run through to `files` and the folders above
/// them, and to nothing else (`--exclude=*` follows them): the folders that still exist
/// in the site are walked, the files gone from it deleted, and a folder gone from it
/// deleted once it holds nothing rsync is kept from deleting.
fn delete_rules(files: &[String]) -> Vec<String> {
    let mut dirs = BTreeSet::new();
    for path in files {
        let mut p = path.as_str();
        while let Some((dir, _)) = p.rsplit_once('/') {
            dirs.insert(dir);
            p = dir;
        }
    }
    let dirs = dirs.into_iter().map(|d| format!("/{}/", literal(d)));
    dirs.chain(files.iter().map(|f| format!("/{}", literal(f))))
        .collect()
}

/// `path` as an rsync pattern that matches only itself. rsync reads a backslash as an
/// escape only in a pattern with a wildcard in it, so only such names are escaped.
fn literal(path: &str) -> String {
    if !path.contains(['*', '?', '[']) {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len() + 4);
    for c in path.chars() {
        if matches!(c, '*' | '?' | '[' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One rsync run of `step`, each file it reports told to `each` as it goes.
fn run(
    r: &Rsync,
    public: &Path,
    step: Step,
    each: &mut dyn FnMut(&Line),
) -> Result<Vec<Line>, Error> {
    let mut child = command(r, public, step).spawn().map_err(Error::spawn(
        "rsync",
        "an SSH host",
        "run rsync",
    ))?;
    let input = step.input();
    let mut stdin = child.stdin.take().expect("piped");
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let mut stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let mut lines = Vec::new();
    for text in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let text = text.map_err(Error::io("read rsync's output"))?;
        // Folders rsync makes or walks on the way (`signs/`) are not files of the site.
        if let Some(line) = parse(&text).filter(|l| !l.path.ends_with('/') || l.op == "del.") {
            each(&line);
            lines.push(line);
        }
    }
    let status = child.wait().map_err(Error::io("run rsync"))?;
    let _ = feeder.join();
    let said = errors.join().unwrap_or_default();
    if !status.success() {
        let (pass, deleting) = match step {
            Step::Send(pass, _) => (pass.name(), false),
            Step::Delete(_) => ("deletions", true),
        };
        return Err(Error::Rsync {
            pass,
            deleting,
            said: last_words(&said),
        });
    }
    Ok(lines)
}

fn parse(text: &str) -> Option<Line> {
    let rest = text.strip_prefix(TAG)?.strip_prefix(' ')?;
    let (op, rest) = rest.split_once(' ')?;
    let (bytes, path) = rest.split_once(' ')?;
    Some(Line {
        op: op.to_string(),
        bytes: bytes.parse().unwrap_or(0),
        path: path.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_options_become_one_command_and_lines_are_read_back() {
        let cfg = RsyncTarget {
            dest: "me@host:/var/www".into(),
            ssh: Some("ssh -o BatchMode=yes".into()),
            port: Some(2222),
            identity: Some("keys/my key".into()),
        };
        let r = Rsync::new(&cfg, Path::new("/site"));
        assert_eq!(r.dest, "me@host:/var/www/");
        assert_eq!(
            r.rsh.as_deref(),
            Some("ssh -o BatchMode=yes -p 2222 -i '/site/keys/my key'")
        );
        let plain = RsyncTarget {
            ssh: None,
            port: None,
            identity: None,
            ..cfg
        };
        assert_eq!(
            Rsync::new(&plain, Path::new("/site")).rsh,
            None,
            "RSYNC_RSH or ssh"
        );
        assert_eq!(
            parse("glyph-rsync send 1234 media/a b.jpg"),
            Some(Line {
                op: "send".into(),
                bytes: 1234,
                path: "media/a b.jpg".into()
            })
        );
        assert_eq!(parse("sending incremental file list"), None);
    }

    #[test]
    fn deletions_let_through_only_the_deleted_files_and_their_folders() {
        let files = ["signs/e/index.html".to_string(), "media/a[1]*.jpg".into()];
        assert_eq!(
            delete_rules(&files),
            [
                "/media/",
                "/signs/",
                "/signs/e/",
                "/signs/e/index.html",
                "/media/a\\[1]\\*.jpg"
            ]
        );
        assert_eq!(
            literal("a\\b.txt"),
            "a\\b.txt",
            "no wildcard: taken as it is"
        );
    }
}
