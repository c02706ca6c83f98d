#!/usr/bin/env python3
"""Search at scale: index size and time to first result for N signs (default 10,000).

    python3 bench/search.py            # 10,000 signs
    python3 bench/search.py --n 2000

Makes its own archive: N tiny distinct PNG photos with sidecars (title, place, city,
country, two styles, a caption of a dozen words from a fixed vocabulary), builds it
with the release glyph, then prints the size of search.json (raw and gzip-compressed)
and, in headless Chromium (Debian's `chromium`), the time from navigation to the first
results for a one-word query, over loopback (so network time is near zero: on a phone,
add the compressed size over its connection).
"""

import argparse
import gzip
import http.server
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("door sign pictogram painted brass enamel neon hand lettered faded tiled "
         "wooden arrow ladies gents family accessible museum airport station cafe "
         "harbour market theatre library stadium gallery hotel ferry").split()
PLACES = [("Mississauga", "CA"), ("Berlin", "DE"), ("Tokyo", "JP"), ("São Paulo", "BR"),
          ("Nairobi", "KE"), ("Wellington", "NZ"), ("Paris", "FR"), ("Zürich", "CH")]
TAGS = ["pictogram", "text-only", "art", "humour", "vintage", "neon", "accessible", "family"]


def png(seed):
    w, h = 8, 6
    raw = b"".join(b"\0" + bytes((seed * 37 + x * 11 + y * 5) % 256 for x in range(w * 3))
                   for y in range(h))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_site(root: Path, n: int):
    rnd = random.Random(7)
    photos = root / "photos"
    photos.mkdir(parents=True)
    (root / "site.yaml").write_text("title: Search bench\n")
    for i in range(n):
        city, cc = PLACES[i % len(PLACES)]
        caption = " ".join(rnd.choice(WORDS) for _ in range(12))
        tags = sorted({TAGS[i % len(TAGS)], TAGS[(i * 3 + 1) % len(TAGS)]})
        (photos / f"s{i:05d}.png").write_bytes(png(i))
        (photos / f"s{i:05d}.yaml").write_text(
            f"title: Sign {i} {rnd.choice(WORDS)}\nalt: a sign\nplace: The {rnd.choice(WORDS)}\n"
            f"city: {city}\ncountry: {cc}\ntags: [{', '.join(tags)}]\ncaption: {caption}\n"
            f"date: {2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    glyph = ROOT / "target" / "release" / "glyph"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        make_site(site, args.n)
        subprocess.run([str(glyph), "build", "--root", str(site)], check=True,
                       stderr=subprocess.DEVNULL)
        index = (site / "public" / "search.json").read_bytes()
        packed = gzip.compress(index, 6)
        print(f"signs:               {args.n}")
        print(f"search.json:         {len(index) / 1e6:.2f} MB ({len(index) / args.n:.0f} bytes a sign)")
        print(f"  gzip -6:           {len(packed) / 1e6:.2f} MB")
        if not browser:
            print("time to first result: skipped (no chromium; apt-get install chromium)")
            return
        public = site / "public"

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **k):
                super().__init__(*a, directory=str(public), **k)

            def log_message(self, *a):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/search/?q=harbour"
        times = []
        for _ in range(5):
            with tempfile.TemporaryDirectory() as profile:
                dom = subprocess.run(
                    [browser, "--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", f"--user-data-dir={profile}",
                     "--virtual-time-budget=20000", "--dump-dom", url],
                    capture_output=True, text=True, check=True).stdout
            m = re.search(r'id="search-results"[^>]*data-ms="(\d+)"', dom)
            status = re.search(r'id="search-status"[^>]*>([^<]*)<', dom)
            if not m:
                print("no results rendered:", status.group(1) if status else "?", file=sys.stderr)
                continue
            times.append(int(m.group(1)))
        server.shutdown()
        if times:
            times.sort()
            print(f"first result (q=harbour, {status.group(1) if status else ''}):")
            print(f"  navigation → results: median {times[len(times) // 2]} ms, "
                  f"min {times[0]} ms, max {times[-1]} ms over {len(times)} loads (loopback)")


if __name__ == "__main__":
    main()
