#!/usr/bin/env python3
"""What `glyph deploy` sends for a one-sign change, at 1,000 and 10,000 signs.

    python3 bench/deploy.py                 # 1,000 and 10,000 signs
    python3 bench/deploy.py --sizes 1000    # one size

For each size: an archive from bench/scale.py (kept in target/bench-deploy/N/, made
once), built with the release binary; a first deploy to a bare git repository on disk
and to rsync over SSH on loopback (an sshd started here with a generated key, as in
tests/it/deploy.rs); then one sidecar's title is edited, the site rebuilt and both
targets deployed again. Prints the files and bytes of each deploy: for git the files
of the commit and their size, for rsync the files sent and the bytes rsync says went
over the network. The edited title is put back at the start of every run.

Needs git, rsync, ssh and sshd (apt-get install -y openssh-server rsync) and runs as
root or as a user sshd lets in (it logs in as the current user).
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402

SSH_OPTS = "ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"


def nice(cmd, **kw):
    return subprocess.run(["nice", "-n", "19", *map(str, cmd)], check=True, **kw)


def start_sshd(work: Path):
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    for tool in (sshd, "ssh-keygen", "ssh", "rsync", "git"):
        if not shutil.which(tool) and not Path(tool).is_file():
            sys.exit(f"{tool} is missing: apt-get install -y openssh-server rsync git")
    keys = work / "ssh"
    keys.mkdir(parents=True, exist_ok=True)
    for name in ("host", "client"):
        if not (keys / name).exists():
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys / name], check=True)
    if os.geteuid() == 0:
        # sshd as root needs its privilege separation folder, absent where it never ran.
        Path("/run/sshd").mkdir(exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = keys / "sshd_config"
    cfg.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys}/host\nAuthorizedKeysFile {keys}/client.pub\n"
        "StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "PermitRootLogin prohibit-password\nPidFile none\n"
    )
    proc = subprocess.Popen([sshd, "-f", cfg, "-D", "-e"], stderr=open(keys / "sshd.log", "w"))
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port, keys / "client"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit(f"sshd did not start: {(keys / 'sshd.log').read_text()}")


def configure(site: Path, target: str):
    base = "title: Scale\nbase_url: https://scale.example.org/\nper_page: 24\n"
    (site / "site.yaml").write_text(base + target, encoding="utf-8")


def deploy(glyph: Path, site: Path, public: Path, rsync: bool):
    """Run `glyph deploy -v`; return (files, bytes of the files, bytes rsync reported, seconds).

    `-v` prints `op bytes path`: for rsync the bytes that went over the network, for git
    the file's size (which also covers `.nojekyll` and `CNAME`, not in public/)."""
    started = time.monotonic()
    out = subprocess.run(
        ["nice", "-n", "19", glyph, "deploy", "-v", "--root", site],
        capture_output=True, text=True,
    )
    took = time.monotonic() - started
    if out.returncode != 0:
        sys.exit(f"deploy failed:\n{out.stderr}")
    files = size = network = 0
    for line in out.stdout.splitlines():
        op, sent, path = line.split(maxsplit=2)
        if op != "send":
            continue
        files += 1
        size += (public / path).stat().st_size if rsync else int(sent)
        network += int(sent)
    print("   ", out.stderr.strip().splitlines()[-1])
    return files, size, network, took


def run(n: int, glyph: Path, work: Path, port: int, key: Path):
    home = work / str(n)
    site = home / "site"
    scale.generate(n, site)  # also puts back the title edited by the last run
    public = site / "public"
    shutil.rmtree(site / ".glyph-cache" / "deploy", ignore_errors=True)
    remote = home / "pages.git"
    www = home / "www"
    shutil.rmtree(remote, ignore_errors=True)
    shutil.rmtree(www, ignore_errors=True)
    www.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "--bare", remote], check=True)
    user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    targets = {
        "git": f"deploy:\n  git: {{ remote: {remote}, branch: pages }}\n",
        "rsync": (
            f"deploy:\n  rsync:\n    dest: {user}@127.0.0.1:{www}/\n    port: {port}\n"
            f"    identity: {key}\n    ssh: {SSH_OPTS}\n"
        ),
    }
    rows = []
    for step in ("first deploy", "one title changed"):
        if step != "first deploy":
            i = n // 2
            sidecar = next(site.glob(f"photos/*/sign-{i:06}.yaml"))
            text = sidecar.read_text(encoding="utf-8")
            sidecar.write_text(text.replace(f"title: Sign number {i}\n", f"title: Sign number {i}, renamed\n"))
        started = time.monotonic()
        nice([glyph, "build", "--root", site], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"  {n} signs, {step}: built in {time.monotonic() - started:.1f} s")
        for name, target in targets.items():
            configure(site, target)
            files, size, network, took = deploy(glyph, site, public, name == "rsync")
            rows.append((n, step, name, files, size, network if name == "rsync" else None, took))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--work", type=Path, default=ROOT / "target" / "bench-deploy")
    args = ap.parse_args()
    nice(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    glyph = ROOT / "target" / "release" / "glyph"
    args.work.mkdir(parents=True, exist_ok=True)
    sshd, port, key = start_sshd(args.work)
    try:
        rows = []
        for n in (int(s) for s in args.sizes.split(",")):
            rows += run(n, glyph, args.work, port, key)
    finally:
        sshd.kill()
        sshd.wait()
    print(f"\n{'signs':>6}  {'deploy':<18} {'target':<6} {'files':>6} {'bytes':>12} {'rsync sent':>11} {'time':>7}")
    for n, step, name, files, size, network, took in rows:
        net = f"{network:>11,}" if network is not None else f"{'-':>11}"
        print(f"{n:>6}  {step:<18} {name:<6} {files:>6} {size:>12,} {net} {took:>6.1f}s")


if __name__ == "__main__":
    main()
