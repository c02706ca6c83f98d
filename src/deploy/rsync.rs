//! The rsync target: a folder on a host reached over SSH, through the system `rsync`
//! and `ssh` (the user's keys, agent and `~/.ssh/config` apply).
//!
//! Each pass of the plan is one rsync run given exactly its files (`--files-from`), so
//! rsync neither walks the site nor asks the host about unchanged files. Images and
//! assets go first, then sign pages, other pages and the indexes, and deletions last:
//! rsync writes every file under a temporary name and renames it into place, so at no
//! moment does a visitor meet a page whose image is missing or half a file. Deleting
//! is by `--delete-missing-args` on the deleted files, then on the folders they leave
//! empty (deepest first), so nothing the site did not put there is ever deleted.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::plan::{emptied_dirs, passes, Plan, Sent};
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
    site: &std::collections::BTreeMap<String, Sent>,
    each: &mut dyn FnMut(&Line),
) -> Result<Vec<Line>, Error> {
    let mut lines = Vec::new();
    for (pass, files) in passes(plan) {
        lines.extend(run(r, public, files, false, pass.name(), each)?);
    }
    if !plan.delete.is_empty() {
        lines.extend(run(r, public, &plan.delete, true, "deletions", each)?);
        let dirs = emptied_dirs(&plan.delete, site);
        let depth = |d: &String| d.matches('/').count();
        for level in dirs.chunk_by(|a, b| depth(a) == depth(b)) {
            lines.extend(run(r, public, level, true, "deletions", each)?);
        }
    }
    Ok(lines)
}

/// One rsync run over exactly `files`.
fn run(
    r: &Rsync,
    public: &Path,
    files: &[String],
    delete: bool,
    pass: &'static str,
    each: &mut dyn FnMut(&Line),
) -> Result<Vec<Line>, Error> {
    let mut cmd = Command::new("rsync");
    // -I: a listed file changed, even when its size and second match what is there.
    cmd.args(["--times", "--ignore-times", "--from0", "--files-from=-"]);
    cmd.arg(format!("--out-format={TAG} %o %b %n"));
    if delete {
        // The deleted files' folders are gone here, which rsync would warn about.
        cmd.args(["--delete-missing-args", "--no-implied-dirs"]);
    }
    if let Some(rsh) = &r.rsh {
        cmd.arg("-e").arg(rsh);
    }
    let mut src = public.as_os_str().to_owned();
    src.push("/");
    cmd.arg("--").arg(src).arg(&r.dest);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Missing {
                program: "rsync",
                target: "an SSH host",
            }
        } else {
            Error::io("run rsync")(e)
        }
    })?;
    let list: Vec<u8> = files.iter().flat_map(|p| p.bytes().chain([0])).collect();
    let mut stdin = child.stdin.take().expect("piped");
    let feeder = std::thread::spawn(move || stdin.write_all(&list));
    let mut stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut lines = Vec::new();
    for text in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let text = text.map_err(Error::io("read rsync's output"))?;
        // Folders rsync makes on the way (`signs/`) are not files of the site.
        if let Some(line) = parse(&text).filter(|l| !l.path.ends_with('/') || l.op == "del.") {
            each(&line);
            lines.push(line);
        }
    }
    let status = child.wait().map_err(Error::io("run rsync"))?;
    let _ = feeder.join();
    let said = errors.join().unwrap_or_default();
    // 24: "source files vanished", which deleting them is.
    let ok = status.success() || delete && status.code() == Some(24);
    if !ok {
        return Err(Error::Rsync {
            pass,
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

fn last_words(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    match lines[lines.len().saturating_sub(3)..].join(" / ") {
        s if s.is_empty() => "it gave no reason".into(),
        s => super::secret::redact(&s),
    }
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
}
