#!/usr/bin/env python3
"""A generated archive of N small signs, for scale benchmarks and output hashes.

    python3 bench/scale.py generate 1000 /tmp/scale-1000   # make the archive
    python3 bench/scale.py hash /tmp/scale-1000/public     # one hash of a built site
    python3 bench/scale.py bench [--huge] [--work DIR]     # the scale table (below)
        [--sizes 1000,10000] [--glyph BIN] [--no-serve]    # which archives, which binary

`bench` builds the release binary, then for 1,000 and 10,000 signs (and 100,000 with
`--huge`) times in one run: a cold build (empty cache), a no-op build, one edited title,
the first edit after it (which also links the whole site once into the folder the
next build works in), one more edited title, one added sign, one deleted sign, each
with its peak RSS; then `glyph serve` on the same
archive: time to the first page, resident memory, and save -> reload of an edited
sidecar (to the reload event a browser listens to), the median of five.

Deterministic: sign i is the same (photo bytes, EXIF, sidecar) whatever N is, so an
archive of 10,000 holds the 1,000 of the smaller one. Photos are 640x480 JPEGs with
EXIF date, GPS and camera; sidecars carry a title, alt text, a caption, tags from 30
styles and a place in one of 40 cities. Sixteen base pictures are encoded once; each
sign's photo is a base picture with its own EXIF segment and a trailer after the
end-of-image marker, so every sign has its own content hash and generating 100,000
takes seconds, not hours. Needs Pillow (installed with pip when missing).
"""

import hashlib
import os
import random
import struct
import subprocess
import sys
from pathlib import Path

from speed import set_gps

STYLES = [
    "pictogram", "text-only", "art", "humour", "vintage", "neon", "wheelchair", "family",
    "gender-neutral", "multilingual", "hand-painted", "metal", "wood", "enamel", "braille",
    "minimalist", "cartoon", "silhouette", "arrow", "tiles", "glass", "sticker", "stencil",
    "embossed", "illuminated", "handwritten", "symbolic", "retro", "modern", "ornate",
]
CITIES = [
    ("Toronto", "CA", 43.65, -79.38), ("Mississauga", "CA", 43.59, -79.64),
    ("Berlin", "DE", 52.52, 13.40), ("Munich", "DE", 48.14, 11.58),
    ("Tokyo", "JP", 35.68, 139.69), ("Osaka", "JP", 34.69, 135.50),
    ("São Paulo", "BR", -23.55, -46.63), ("Rio de Janeiro", "BR", -22.91, -43.17),
    ("Nairobi", "KE", -1.29, 36.82), ("Wellington", "NZ", -41.29, 174.78),
    ("Paris", "FR", 48.86, 2.35), ("Lyon", "FR", 45.76, 4.84),
    ("New York", "US", 40.71, -74.01), ("Chicago", "US", 41.88, -87.63),
    ("Madrid", "ES", 40.42, -3.70), ("Barcelona", "ES", 41.39, 2.17),
    ("Mexico City", "MX", 19.43, -99.13), ("Bogotá", "CO", 4.71, -74.07),
    ("Lima", "PE", -12.05, -77.04), ("Buenos Aires", "AR", -34.60, -58.38),
    ("Reykjavík", "IS", 64.15, -21.94), ("Oslo", "NO", 59.91, 10.75),
    ("Helsinki", "FI", 60.17, 24.94), ("Warsaw", "PL", 52.23, 21.01),
    ("Vienna", "AT", 48.21, 16.37), ("Zürich", "CH", 47.38, 8.54),
    ("Rome", "IT", 41.90, 12.50), ("Athens", "GR", 37.98, 23.73),
    ("Istanbul", "TR", 41.01, 28.98), ("Cairo", "EG", 30.04, 31.24),
    ("Cape Town", "ZA", -33.92, 18.42), ("Mumbai", "IN", 19.08, 72.88),
    ("Bangkok", "TH", 13.76, 100.50), ("Seoul", "KR", 37.57, 126.98),
    ("Sydney", "AU", -33.87, 151.21), ("Melbourne", "AU", -37.81, 144.96),
    ("Lisbon", "PT", 38.72, -9.14), ("Dublin", "IE", 53.35, -6.26),
    ("Amsterdam", "NL", 52.37, 4.90), ("Prague", "CZ", 50.08, 14.44),
]
BASES = 16


def ensure_pillow():
    try:
        import PIL  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pillow"], check=True)


def base_photos():
    """Sixteen photo-like 640x480 JPEGs without metadata: smooth light plus grain."""
    import io

    from PIL import Image, ImageFilter

    out = []
    for s in range(BASES):
        rng = random.Random(1000 + s)
        small = Image.frombytes("RGB", (16, 12), rng.randbytes(16 * 12 * 3))
        img = small.filter(ImageFilter.GaussianBlur(1)).resize((640, 480), Image.BICUBIC)
        grain = Image.frombytes("L", (640, 480), rng.randbytes(640 * 480))
        img = Image.blend(img, Image.merge("RGB", (grain, grain, grain)), 0.08)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        out.append(buf.getvalue())
    return out


def place(i):
    rng = random.Random(i * 7919 + 1)
    name, country, lat, lon = CITIES[i % len(CITIES)]
    return name, country, lat + (rng.random() - 0.5) * 0.05, lon + (rng.random() - 0.5) * 0.05


def exif_segment(i):
    """An APP1 segment with this sign's date, GPS and camera."""
    from PIL import Image

    _, _, lat, lon = place(i)
    exif = Image.Exif()
    exif[0x010F] = "Bench"  # Make
    exif[0x0110] = f"Camera {i % 5}"  # Model
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003] = f"{2005 + i % 20}:{1 + i % 12:02}:{1 + i % 28:02} {i % 24:02}:{i % 60:02}:00"

    set_gps(exif, lat, lon)
    data = exif.tobytes()
    if not data.startswith(b"Exif\0\0"):
        data = b"Exif\0\0" + data
    return b"\xff\xe1" + struct.pack(">H", len(data) + 2) + data


def sign_photo(i, bases):
    base = bases[i % BASES]
    return base[:2] + exif_segment(i) + base[2:] + f"sign {i}".encode()


def sidecar(i):
    rng = random.Random(i * 104729 + 3)
    city, _, _, _ = place(i)
    tags = sorted({STYLES[rng.randrange(len(STYLES))] for _ in range(2)})
    return (
        f"title: Sign number {i}\n"
        f"alt: A door sign, number {i}, with a pictogram\n"
        f"caption: Sign *{i}* of the scale archive, seen in {city}.\n"
        f"place: Building {i % 97}\n"
        f"tags: [{', '.join(tags)}]\n"
    )


def generate(n, root: Path):
    ensure_pillow()
    bases = base_photos()
    (root / "photos").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(
        "title: Scale\nbase_url: https://scale.example.org/\nper_page: 24\n", encoding="utf-8"
    )
    for i in range(n):
        d = root / "photos" / f"{2005 + i % 20}"
        d.mkdir(exist_ok=True)
        photo = d / f"sign-{i:06}.jpg"
        data = sign_photo(i, bases)
        if not photo.exists() or photo.read_bytes() != data:
            photo.write_bytes(data)
        side = d / f"sign-{i:06}.yaml"
        text = sidecar(i)
        if not side.exists() or side.read_text(encoding="utf-8") != text:
            side.write_text(text, encoding="utf-8")
    print(f"{n} signs in {root}")


def tree_hash(folder: Path):
    """One sha256 over every file's path and bytes, in sorted order."""
    h = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for p in files:
        h.update(str(p.relative_to(folder)).encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest(), len(files)


def run(cmd, cwd=None):
    """Wall seconds and peak RSS (MB) of one command, which must succeed."""
    import time

    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode(errors="replace")
    if status != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{err}")
    return wall, usage.ru_maxrss / 1024


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bench_serve(glyph, root, n):
    """Start serve, wait for its first page, time five sidecar saves to their reload."""
    import socket
    import statistics
    import time

    t = time.perf_counter()
    p = subprocess.Popen(
        [glyph, "serve", "--port", "0", "--root", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        line = p.stdout.readline()
        host = next(w for w in line.split() if w.startswith("http://"))[7:].rstrip("/")
        h, port = host.rsplit(":", 1)
        events = socket.create_connection((h, int(port)))
        events.sendall(f"GET /__glyph/events HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        buf = b""

        def next_event(timeout):
            nonlocal buf
            events.settimeout(timeout)
            while b"\ndata: " not in buf and not buf.startswith(b"data: "):
                buf += events.recv(65536)
            cut = buf.index(b"data: ")
            end = buf.index(b"\n", cut)
            buf = buf[end + 1:]

        next_event(1200)
        first = time.perf_counter() - t
        time.sleep(1.0)
        resident = rss_mb(p.pid)
        saves = []
        for k in range(5):
            i = (k * 7919) % n
            side = root / "photos" / f"{2005 + i % 20}" / f"sign-{i:06}.yaml"
            text = side.read_text(encoding="utf-8").splitlines(keepends=True)
            text[0] = f"title: Served edit {k}\n"
            t = time.perf_counter()
            side.write_text("".join(text), encoding="utf-8")
            next_event(120)
            saves.append(time.perf_counter() - t)
            time.sleep(0.5)
            events.settimeout(0.3)
            try:
                while True:
                    if not events.recv(65536):
                        break
            except OSError:
                pass
            buf = b""
        resident = max(resident, rss_mb(p.pid))
        return first, resident, statistics.median(saves)
    finally:
        p.terminate()
        p.wait()


def bench(args):
    import shutil

    def flag(name):
        return args[args.index(name) + 1] if name in args else None

    huge = "--huge" in args
    work = Path(flag("--work") or "/tmp/glyph-scale")
    repo = Path(__file__).resolve().parent.parent
    glyph = flag("--glyph")
    if glyph is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=repo, check=True)
        glyph = str(repo / "target" / "release" / "glyph")
    sizes = [1000, 10000] + ([100000] if huge else [])
    if flag("--sizes"):
        sizes = [int(n) for n in flag("--sizes").split(",")]
    serve = "--no-serve" not in args
    rows = []
    for n in sizes:
        root = work / f"scale-{n}"
        generate(n, root)
        for d in ("public", ".glyph-cache", ".public.glyph-prev"):
            shutil.rmtree(root / d, ignore_errors=True)
        for extra in root.glob("photos/new"):
            shutil.rmtree(extra)
        build = [glyph, "build", "--root", str(root)]
        row = {"n": n, "cold": run(build), "noop": run(build)}
        side = root / "photos" / "2005" / "sign-000000.yaml"
        original = side.read_text(encoding="utf-8")
        side.write_text(original.replace("title: Sign number 0", "title: Edited sign"), encoding="utf-8")
        # The first change after a clean build also links the whole site once into the
        # folder the next build works in; from then on a build writes what changed.
        row["edit1"] = run(build)
        side.write_text(original.replace("title: Sign number 0", "title: Edited again"), encoding="utf-8")
        row["edit"] = run(build)
        new = root / "photos" / "new"
        new.mkdir(exist_ok=True)
        (new / "added.jpg").write_bytes(sign_photo(n, base_photos()))
        (new / "added.yaml").write_text(sidecar(n), encoding="utf-8")
        row["add"] = run(build)
        (new / "added.jpg").unlink()
        (new / "added.yaml").unlink()
        new.rmdir()
        row["delete"] = run(build)
        side.write_text(original, encoding="utf-8")
        run(build)
        row["serve"] = bench_serve(glyph, root, n) if serve else (0.0, 0.0, 0.0)
        rows.append(row)
    print(f"\nglyph at scale ({os.cpu_count()} cores); seconds, peak RSS in MB")
    print(f"{'signs':>7} | {'cold':>12} | {'no-op':>12} | {'1st edit':>12} | {'edit':>12} | "
          f"{'add':>12} | {'delete':>12} | serve: first page, RSS, save->reload")
    for r in rows:
        cells = " | ".join(f"{r[k][0]:6.2f} {r[k][1]:5.0f}" for k in ("cold", "noop", "edit1", "edit", "add", "delete"))
        first, resident, save = r["serve"]
        print(f"{r['n']:>7} | {cells} | {first:6.2f} s, {resident:5.0f} MB, {save * 1000:5.0f} ms")
    for a, b in zip(rows, rows[1:]):
        print(f"at {b['n']} / at {a['n']}: edit {b['edit'][0] / a['edit'][0]:.1f}x, "
              f"cold {b['cold'][0] / a['cold'][0]:.1f}x")
    print(f"load average after the run: {os.getloadavg()}")


def main():
    if "--help" in sys.argv or "-h" in sys.argv:
        print(__doc__)
    elif len(sys.argv) >= 2 and sys.argv[1] == "bench":
        bench(sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "generate":
        generate(int(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "hash":
        digest, count = tree_hash(Path(sys.argv[2]))
        print(f"{digest}  {count} files")
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
