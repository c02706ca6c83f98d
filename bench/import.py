#!/usr/bin/env python3
"""`glyph import` of a generated 1,000-post Instagram export, then `glyph build` of the
archive it made: wall time and peak memory of each.

    cargo build --release && python3 bench/import.py [--posts 1000] [--glyph PATH]

The export is written once into target/bench-import/ (the 2025 layout, as a folder and
as the .zip Instagram sends): posts of one to five photos (a third are carousels, one
in ten also holds a video), 1080 px wide JPEGs without EXIF as Instagram serves them,
captions "Building N – City, Country. Words #tags" with the cities of bench/scale.py
(so most positions come from the caption's city) and, for one post in four, GPS and a
capture time in exif_data. Every photo is a picture of its own (a random field, as in
scale.py), so none is taken for another's near-duplicate. Times are
`/usr/bin/time`'s (speed.timed): a cold import (the fingerprints of every photo made),
a re-run (nothing to do: every post imported before), the import of the .zip into a
second archive, and a cold build of the first with its drafts. Needs Pillow.
"""

import argparse
import io
import json
import random
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from scale import CITIES, STYLES, ensure_pillow
from speed import timed

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target/bench-import"
COUNTRY_NAMES = {
    "CA": "Canada", "DE": "Deutschland", "JP": "Japan", "BR": "Brasil", "KE": "Kenya",
    "NZ": "New Zealand", "FR": "France", "US": "USA", "ES": "España", "MX": "México",
    "CO": "Colombia", "PE": "Perú", "AR": "Argentina", "IS": "Ísland", "NO": "Norway",
    "FI": "Finland", "PL": "Poland", "AT": "Österreich", "CH": "Switzerland", "IT": "Italia",
    "GR": "Greece", "TR": "Türkiye", "EG": "Egypt", "ZA": "South Africa", "IN": "India",
    "TH": "Thailand", "KR": "South Korea", "AU": "Australia", "PT": "Portugal",
    "IE": "Ireland", "NL": "Nederland", "CZ": "Czechia",
}
FAKE_MP4 = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom" + b"\0\0\0\x08free"
T0 = 1_500_000_000


def picture(seed):
    """A 1080x810 JPEG of its own, at Instagram's quality."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    small = Image.frombytes("RGB", (16, 12), rng.randbytes(16 * 12 * 3))
    img = small.filter(ImageFilter.GaussianBlur(1)).resize((1080, 810), Image.BICUBIC)
    grain = Image.frombytes("L", (1080, 810), rng.randbytes(1080 * 810))
    img = Image.blend(img, Image.merge("RGB", (grain, grain, grain)), 0.06)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=78)
    return buf.getvalue()


def mojibake(v):
    if isinstance(v, str):
        return v.encode("utf-8").decode("latin-1")
    if isinstance(v, list):
        return [mojibake(x) for x in v]
    if isinstance(v, dict):
        return {k: mojibake(x) for k, x in v.items()}
    return v


def post(i, files):
    """Post `i`: its JSON and its media files (uri → bytes)."""
    rng = random.Random(i * 7877 + 11)
    city, cc, lat, lon = CITIES[i % len(CITIES)]
    t = T0 + i * 86_400
    month = f"{2017 + i // 365:04}{1 + i % 12:02}"
    n = 1 if rng.random() < 2 / 3 else rng.randint(2, 5)
    media = []
    for k in range(n):
        uri = f"media/posts/{month}/{i:06}{k}_n_{i}.jpg"
        files[uri] = picture(i * 10 + k)
        m = {"uri": uri, "creation_timestamp": t, "title": ""}
        if k == 0 and i % 4 == 0:
            m["media_metadata"] = {"photo_metadata": {"exif_data": [
                {"latitude": lat + rng.uniform(-0.02, 0.02), "longitude": lon + rng.uniform(-0.02, 0.02)},
                {"date_time_original": f"{2016 + i // 365}:{1 + i % 12:02}:{1 + i % 28:02} 12:00:00"},
            ]}}
        media.append(m)
    if i % 10 == 9:
        uri = f"media/posts/{month}/{i:06}9_n_{i}.mp4"
        files[uri] = FAKE_MP4
        media.append({"uri": uri, "creation_timestamp": t, "title": "",
                      "media_metadata": {"video_metadata": {"exif_data": [{}]}}})
    tags = " ".join(f"#{STYLES[rng.randrange(len(STYLES))]}" for _ in range(3))
    caption = f"Building {i} – {city}, {COUNTRY_NAMES[cc]}. Sign number {i}, *lovely*. {tags}"
    return {"media": media, "title": caption, "creation_timestamp": t}


def make_export(n):
    """The export as a folder and as a zip, made once per size."""
    folder, zipped = WORK / f"export-{n}", WORK / f"export-{n}.zip"
    done = WORK / f".done-{n}"
    if done.exists():
        return folder, zipped
    ensure_pillow()
    shutil.rmtree(folder, ignore_errors=True)
    files, posts = {}, []
    for i in range(n):
        posts.append(post(i, files))
        if (i + 1) % 100 == 0:
            print(f"  made {i + 1}/{n} posts", file=sys.stderr)
    files["your_instagram_activity/media/posts_1.json"] = json.dumps(mojibake(posts), indent=2).encode()
    files["your_instagram_activity/media/stories.json"] = b'{"ig_stories": []}'
    with zipfile.ZipFile(zipped, "w") as z:
        for name, data in sorted(files.items()):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            z.writestr(zipfile.ZipInfo("instagram-bench/" + name, (2025, 5, 1, 12, 0, 0)), data,
                       compress_type=zipfile.ZIP_STORED)
    done.touch()
    return folder, zipped


def site(name):
    s = WORK / name
    shutil.rmtree(s, ignore_errors=True)
    (s / "photos").mkdir(parents=True)
    (s / "site.yaml").write_text("title: Import bench\nbase_url: https://bench.example.org/\n")
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--glyph", default=str(ROOT / "target/release/glyph"))
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    folder, zipped = make_export(args.posts)
    photos = sum(1 for p in folder.rglob("*.jpg"))
    size = zipped.stat().st_size / 1e6
    print(f"export: {args.posts} posts, {photos} photos, {size:.0f} MB zipped")
    glyph = args.glyph
    rows = []
    a = site("archive")
    rows.append(("import (folder, cold)", *timed([glyph, "import", str(folder), "--root", str(a)])))
    signs = sum(1 for _ in (a / "photos").rglob("*.yaml"))
    rows.append(("import again (no-op)", *timed([glyph, "import", str(folder), "--root", str(a)])))
    b = site("archive-zip")
    rows.append(("import (.zip, cold)", *timed([glyph, "import", str(zipped), "--root", str(b)])))
    build = [glyph, "build", "--drafts", "--root", str(a)]
    try:
        rows.append(("build --drafts (cold)", *timed(build)))
    except RuntimeError as e:
        print(f"build failed (does this glyph read photos:/published:/origin:?):\n{e}", file=sys.stderr)
    print(f"{signs} signs drafted")
    print(f"{'step':24} {'seconds':>8} {'peak MB':>8}")
    for name, wall, rss in rows:
        print(f"{name:24} {wall:8.2f} {rss:8.0f}")


if __name__ == "__main__":
    main()
