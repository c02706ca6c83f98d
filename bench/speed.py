#!/usr/bin/env python3
"""Build speed of glyph against sigal, Hugo and vipsthumbnail on the same photos.

    python3 bench/speed.py                 # N = 100 photos, peers included
    python3 bench/speed.py --n 20 --no-peers
    python3 bench/speed.py --rebuild-n 1000   # also no-op / edit / add at 1,000 signs
    python3 bench/speed.py --sets portraits   # only the half-portrait set's comparison

Makes its own input, deterministically, in two sets of N photos of 4000x3000 with
photograph-like content (smooth light plus fine texture, so they do not compress to
nothing; about 2.3 MB each), EXIF date and GPS, and a sidecar with tags beside each:

- **landscape**: every photo shown landscape; every fifth is stored turned (3000x4000)
  with Orientation 6 turning it back.
- **portraits**: half of them are portraits the way phones write them: stored
  landscape (4000x3000) with Orientation 6, shown 3000x4000. The other half are plain
  landscapes.

Every tool makes the same widths (480, 960, 1600) from the same photos. Peers are
installed when missing (pip for sigal, apt for hugo, libvips-tools and
libjpeg-turbo-progs) and skipped with a message when that fails.

Prints two tables. The first, on the landscape set: tool, N, cold s, photos/s, no-op
s, edit s, add s, peak RSS MB, and each peer's cold time as a multiple of glyph's.
The second, for each set measured in the same run: glyph's cold build, sigal `-n 2`,
and a floor — libjpeg-turbo's `djpeg -scale 1/2` of every photo plus `cjpeg -quality
80` of each of its renditions (the sizes glyph makes, from prepared PPMs), two photos
at a time — with glyph's CPU time per photo and the ratios sigal / glyph and glyph /
floor. Wall and CPU time and peak RSS come from /usr/bin/time.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (480, 960, 1600)
GRAIN = 0.2
TAGS = ["pictogram", "text-only", "art", "humour", "vintage", "neon", "wheelchair", "family"]
PLACES = [(43.59, -79.64), (52.52, 13.40), (35.68, 139.69), (-23.55, -46.63), (-1.29, 36.82),
          (-41.29, 174.78), (48.86, 2.35), (40.71, -74.01)]


def ensure_pillow():
    try:
        import PIL  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pillow"], check=True)


def photo(seed, w=4000, h=3000):
    """A photograph-like picture: soft light and colour from a small random field blown
    up, plus a fine grain texture, as a camera sees a wall or a door."""
    from PIL import Image, ImageChops, ImageFilter

    rng = random.Random(seed)
    small = Image.frombytes("RGB", (40, 30), rng.randbytes(40 * 30 * 3))
    small = small.filter(ImageFilter.GaussianBlur(1.5))
    base = small.resize((w, h), Image.BICUBIC)
    tile = Image.frombytes("L", (512, 512), rng.randbytes(512 * 512))
    tile = tile.filter(ImageFilter.GaussianBlur(0.8))
    grain = Image.new("L", (w, h))
    for y in range(0, h, 512):
        for x in range(0, w, 512):
            grain.paste(tile, (x, y))
    # Fine but faint, like sensor noise and surface texture: about 2.3 MB at quality 90,
    # what the peers were measured with in the issue.
    grain = Image.blend(Image.new("L", (w, h), 128), grain, GRAIN)
    grain = Image.merge("RGB", (grain, grain, grain))
    img = ImageChops.overlay(base, grain)
    # A few hard-edged shapes, like a sign on a door.
    from PIL import ImageDraw

    d = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = rng.randrange(w - 600), rng.randrange(h - 600)
        s = rng.randrange(150, 600)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            d.ellipse((x, y, x + s, y + s), fill=colour)
        else:
            d.rectangle((x, y, x + s, y + s * 2 // 3), fill=colour)
    return img


def exif_for(i, rotated):
    from PIL import Image

    lat, lon = PLACES[i % len(PLACES)]
    lat += (i % 17) * 0.01
    lon += (i % 13) * 0.01
    ex = Image.Exif()
    ex[0x010F] = "Bench"
    ex[0x0110] = "Phone 12"
    ex[0x0112] = 6 if rotated else 1
    sub = ex.get_ifd(0x8769)
    sub[0x9003] = f"{2010 + i % 15}:{1 + i % 12:02d}:{1 + i % 28:02d} 12:{i % 60:02d}:00"

    set_gps(ex, lat, lon)
    return ex


def set_gps(ex, lat, lon):
    """Write a position into an EXIF block's GPS IFD as degrees, minutes, seconds."""

    def dms(v):
        v = abs(v)
        d = int(v)
        m = int((v - d) * 60)
        s = round(((v - d) * 60 - m) * 60, 2)
        return (d, m, s)

    gps = ex.get_ifd(0x8825)
    gps[1] = "N" if lat >= 0 else "S"
    gps[2] = dms(lat)
    gps[3] = "E" if lon >= 0 else "W"
    gps[4] = dms(lon)


def make_photos(dest: Path, n: int):
    """N distinct photos, cached by count in `dest`."""
    ensure_pillow()
    done = dest / f".done-{n}"
    if done.exists():
        return
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for i in range(n):
        rotated = i % 5 == 4
        img = photo(1000 + i)
        if rotated:
            img = img.transpose(2)  # stored turned; Orientation 6 turns it back
        img.save(dest / f"sign-{i:04d}.jpg", quality=90, exif=exif_for(i, rotated).tobytes())
        if (i + 1) % 10 == 0:
            print(f"  made {i + 1}/{n} photos", file=sys.stderr)
    done.touch()


def make_portraits(dest: Path, n: int):
    """N distinct photos stored 4000x3000, cached by count in `dest`: the even ones
    are portraits as phones write them (the sensor's landscape pixels with Orientation
    6, shown 3000x4000), the odd ones plain landscapes."""
    ensure_pillow()
    done = dest / f".done-{n}"
    if done.exists():
        return
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for i in range(n):
        portrait = i % 2 == 0
        img = photo(5000 + i)
        img.save(dest / f"sign-{i:04d}.jpg", quality=90, exif=exif_for(i, portrait).tobytes())
        if (i + 1) % 10 == 0:
            print(f"  made {i + 1}/{n} photos", file=sys.stderr)
    done.touch()


def sidecar(i, title=None):
    t1, t2 = TAGS[i % len(TAGS)], TAGS[(i * 7 + 3) % len(TAGS)]
    return f"title: {title or f'Sign {i}'}\nalt: A door sign\ntags: [{t1}, {t2}]\n"


def timed(cmd, cwd=None, env=None, cpu=False):
    """Run `cmd`; return (wall seconds, peak RSS MB), and with `cpu` also the CPU
    seconds (user + system) of it and its children."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S"] + cmd, cwd=cwd, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr[-2000:]}")
    wall, rss, user, system = out.stderr.strip().splitlines()[-1].split()
    if cpu:
        return float(wall), int(rss) / 1024, float(user) + float(system)
    return float(wall), int(rss) / 1024


def glyph_site(work: Path, photos: Path, n: int, name="glyph"):
    site = work / f"{name}-{n}"
    shutil.rmtree(site, ignore_errors=True)
    (site / "photos").mkdir(parents=True)
    (site / "site.yaml").write_text(
        "title: Bench\nbase_url: https://bench.example.org/\n"
        "images:\n  widths: [480, 960, 1600]\n  format: jpeg\n  quality: 80\n")
    files = sorted(photos.glob("*.jpg"))
    for i in range(n):
        src = files[i % len(files)]
        dst = site / "photos" / f"sign-{i:05d}.jpg"
        if i < len(files):
            os.link(src, dst)
        else:
            # More signs than distinct photos: same pixels, a different file (and hash).
            dst.write_bytes(src.read_bytes() + f"copy {i}".encode())
        (site / "photos" / f"sign-{i:05d}.yaml").write_text(sidecar(i))
    return site


def bench_glyph(work, photos, n, glyph, with_changes, name="glyph"):
    site = glyph_site(work, photos, n, name)
    build = [str(glyph), "build", "--root", str(site)]
    load = os.getloadavg()[0]
    cold, rss, cpu = timed(build, cpu=True)
    noop, _ = timed(build)
    row = {"tool": "glyph", "n": n, "cold": cold, "noop": noop, "rss": rss, "cpu": cpu,
           "load": load}
    if with_changes:
        (site / "photos/sign-00003.yaml").write_text(sidecar(3, "Edited"))
        row["edit"], _ = timed(build)
        extra = site / "photos/new-photo.jpg"
        extra.write_bytes(sorted(photos.glob("*.jpg"))[0].read_bytes() + b"new")
        (site / "photos/new-photo.yaml").write_text(sidecar(9999, "New"))
        row["add"], _ = timed(build)
    return row


def have(cmd):
    return shutil.which(cmd) is not None


def apt_install(*pkgs):
    try:
        subprocess.run(["apt-get", "install", "-y", "-qq", *pkgs], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return True
    except Exception:
        try:
            subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL)
            subprocess.run(["apt-get", "install", "-y", "-qq", *pkgs], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return True
        except Exception:
            return False


def bench_sigal(work, photos, n, name="sigal"):
    if not have("sigal"):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "sigal"], check=False)
    if not have("sigal"):
        return "sigal could not be installed (pip install sigal)"
    site = work / name
    shutil.rmtree(site, ignore_errors=True)
    (site / "src").mkdir(parents=True)
    for p in sorted(photos.glob("*.jpg"))[:n]:
        os.link(p, site / "src" / p.name)
    (site / "sigal.conf.py").write_text(
        "source = 'src'\ndestination = 'out'\nimg_size = (1600, 1200)\n"
        "thumb_size = (480, 360)\nkeep_orig = False\nwrite_html = True\n")
    cmd = ["sigal", "build", "-c", "sigal.conf.py", "-n", "2"]
    load = os.getloadavg()[0]
    cold, rss, cpu = timed(cmd, cwd=site, cpu=True)
    noop, _ = timed(cmd, cwd=site)
    return {"tool": "sigal (2 sizes)", "n": n, "cold": cold, "noop": noop, "rss": rss,
            "cpu": cpu, "load": load}


def bench_hugo(work, photos, n):
    if not have("hugo") and not apt_install("hugo"):
        return "hugo could not be installed (apt-get install hugo)"
    site = work / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    bundle = site / "content" / "gallery"
    bundle.mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text("baseURL = 'https://bench.example.org/'\ntitle = 'Bench'\n"
                                      "disableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\n")
    (bundle / "index.md").write_text("---\ntitle: Gallery\n---\n")
    for p in sorted(photos.glob("*.jpg"))[:n]:
        os.link(p, bundle / p.name)
    resize = "".join(f'{{{{ $r := .Resize "{w}x" }}}}<img src="{{{{ $r.RelPermalink }}}}">'
                     for w in WIDTHS)
    (site / "layouts" / "_default" / "single.html").write_text(
        f'{{{{ range .Resources.ByType "image" }}}}{resize}{{{{ end }}}}\n')
    (site / "layouts" / "_default" / "list.html").write_text("{{ .Title }}\n")
    (site / "layouts" / "index.html").write_text("home\n")
    cmd = ["hugo", "--quiet"]
    cold, rss = timed(cmd, cwd=site)
    noop, _ = timed(cmd, cwd=site)
    return {"tool": "hugo", "n": n, "cold": cold, "noop": noop, "rss": rss}


def bench_vips(work, photos, n):
    if not have("vipsthumbnail") and not apt_install("libvips-tools"):
        return "vipsthumbnail could not be installed (apt-get install libvips-tools)"
    out = work / "vips"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    files = "\n".join(str(p) for p in sorted(photos.glob("*.jpg"))[:n])
    per_photo = "; ".join(
        f'vipsthumbnail "$1" --size {w}x --rotate -o "{out}/%s-{w}.jpg[Q=80,strip]"' for w in WIDTHS)
    script = f"printf '%s\\n' \"$FILES\" | xargs -P 2 -I{{}} sh -c '{per_photo}' _ {{}}"
    env = dict(os.environ, FILES=files)
    cold, rss = timed(["sh", "-c", script], env=env)
    return {"tool": "vipsthumbnail (3 calls)", "n": n, "cold": cold, "noop": None, "rss": rss}


def display_size(path: Path):
    """A JPEG's stored size and its size as shown (after its EXIF Orientation)."""
    from PIL import Image

    with Image.open(path) as img:
        w, h = img.size
        turned = img.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    return (w, h), ((h, w) if turned else (w, h))


def plan_sizes(dw, dh, widths=WIDTHS):
    """The rendition sizes glyph plans for a photo shown dw x dh (imaging::plan): the
    largest fits a box of the largest width on both sides, never upscaled; the smaller
    widths that are narrower stay, and the box's own width is added unless a kept
    width is within 10% of it."""
    box = max(widths)
    if max(dw, dh) <= box:
        largest = dw
    elif dw >= dh:
        largest = box
    else:
        largest = max(1, (dw * box + dh // 2) // dh)
    kept = sorted({w for w in widths if w <= largest})
    if any(w > largest for w in widths) and (not kept or kept[-1] < largest * 0.9):
        kept.append(largest)
    heights = [max(1, (w * dh + dw // 2) // dw) for w in kept]
    return [(w, min(h, box) if dh > box else h) for w, h in zip(kept, heights)]


def floor_inputs(work: Path, photos: Path, n: int, name: str):
    """For each photo, its renditions' pixels as PPM files in the stored orientation
    (from libjpeg-turbo's half-scale decode, resized by Pillow): what the floor's
    `cjpeg` encodes. Made once, outside the timing, and kept."""
    ensure_pillow()
    from PIL import Image

    dest = work / f"floor-{name}"
    done = dest / f".done-{n}"
    files = sorted(photos.glob("*.jpg"))[:n]
    pairs = [(p, dest / p.stem) for p in files]
    if done.exists():
        return pairs
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    half = dest / "half.ppm"
    for p, prefix in pairs:
        (sw, sh), (dw, dh) = display_size(p)
        subprocess.run(["djpeg", "-scale", "1/2", "-outfile", str(half), str(p)], check=True)
        with Image.open(half) as img:
            for w, h in plan_sizes(dw, dh):
                size = (w, h) if (sw, sh) == (dw, dh) else (h, w)
                img.resize(size, Image.LANCZOS).save(f"{prefix}.{w}.ppm")
    half.unlink()
    done.touch()
    return pairs


FLOOR_ONE = """set -e
djpeg -scale 1/2 -outfile /dev/null "$1"
for ppm in "$2".*.ppm; do cjpeg -quality 80 -outfile /dev/null "$ppm"; done
"""


def bench_floor(work, photos, n, name):
    """libjpeg-turbo's cost for the same work, two photos at a time: a half-scale
    decode of each photo (no resize, no rotation) and an encode of each rendition."""
    if not (have("djpeg") and have("cjpeg")) and not apt_install("libjpeg-turbo-progs"):
        return "the floor needs djpeg and cjpeg (apt-get install libjpeg-turbo-progs)"
    pairs = floor_inputs(work, photos, n, name)
    script = work / "floor-one.sh"
    script.write_text(FLOOR_ONE)
    args = "\n".join(f"{p} {prefix}" for p, prefix in pairs)
    load = os.getloadavg()[0]
    cmd = ["sh", "-c", f'printf "%s\\n" "$ARGS" | xargs -P 2 -n 2 sh {script}']
    cold, rss, cpu = timed(cmd, env=dict(os.environ, ARGS=args), cpu=True)
    return {"tool": "floor", "n": n, "cold": cold, "rss": rss, "cpu": cpu, "load": load}


def compare_sets(rows):
    """The table of issue 13: per set, glyph against sigal and the floor."""
    print(f"\n{'set':<11}{'N':>5}{'glyph s':>9}{'CPU ms/ph':>10}{'sigal s':>9}{'floor s':>9}"
          f"{'CPU ms/ph':>10}{'sigal/glyph':>12}{'glyph/floor':>12}   load at start (g, s, f)")
    for name, g, s, f in rows:
        def val(r, k, fmt):
            return format(r[k], fmt) if isinstance(r, dict) else "–"
        ratio = lambda a, b: (f"{a['cold'] / b['cold']:.2f}"
                              if isinstance(a, dict) and isinstance(b, dict) else "–")
        loads = ", ".join(val(r, "load", ".2f") for r in (g, s, f))
        print(f"{name:<11}{g['n']:>5}{g['cold']:>9.2f}{1000 * g['cpu'] / g['n']:>10.0f}"
              f"{val(s, 'cold', '.2f'):>9}{val(f, 'cold', '.2f'):>9}"
              f"{(format(1000 * f['cpu'] / f['n'], '.0f') if isinstance(f, dict) else '–'):>10}"
              f"{ratio(s, g):>12}{ratio(g, f):>12}   {loads}")
    print("targets: sigal/glyph >= 3.5, glyph/floor <= 1.3, landscapes no slower than before")
    for name, g, s, f in rows:
        for r in (s, f):
            if not isinstance(r, dict):
                print(f"skipped ({name}): {r}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100, help="photos for the cold-build comparison")
    ap.add_argument("--rebuild-n", type=int, default=0,
                    help="also time glyph's no-op, edit and add at this many signs (e.g. 1000)")
    ap.add_argument("--no-peers", action="store_true", help="time glyph only")
    ap.add_argument("--peers", default="sigal,vips,hugo",
                    help="the peers of the first table (sigal is also in the second)")
    ap.add_argument("--features", default="",
                    help="cargo features to build glyph with; turbojpeg installs cmake and nasm")
    ap.add_argument("--glyph", type=Path, help="time this glyph binary instead of building one")
    ap.add_argument("--sets", default="landscape,portraits",
                    help="photo sets to compare with sigal and the floor: landscape, portraits")
    ap.add_argument("--work", type=Path, default=ROOT / "target" / "bench-speed",
                    help="where inputs and outputs go (photos are kept between runs)")
    args = ap.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    if any(s not in ("landscape", "portraits") for s in sets):
        ap.error("--sets takes landscape and/or portraits")

    if args.glyph:
        glyph = args.glyph.resolve()
    else:
        if "turbojpeg" in args.features.split(",") and not (have("cmake") and have("nasm")):
            if not apt_install("cmake", "nasm"):
                sys.exit("--features turbojpeg needs cmake and nasm (apt-get install cmake nasm)")
        build = ["cargo", "build", "--release", "--quiet"]
        if args.features:
            build += ["--features", args.features]
        subprocess.run(build, cwd=ROOT, check=True)
        glyph = ROOT / "target" / "release" / "glyph"
    print(f"glyph: {glyph}", file=sys.stderr)
    work = args.work
    photos = work / "photos"
    print(f"making {args.n} photos of 4000x3000 in {photos} (kept for later runs)", file=sys.stderr)
    make_photos(photos, args.n)
    size = sum(p.stat().st_size for p in photos.glob("*.jpg")) / args.n / 1e6
    print(f"  {size:.1f} MB a photo on average", file=sys.stderr)
    portraits = work / "portraits"
    if "portraits" in sets:
        print(f"making {args.n} photos, half portraits, in {portraits}", file=sys.stderr)
        make_portraits(portraits, args.n)

    compared = []
    if "landscape" in sets or args.rebuild_n:
        rows, notes = [bench_glyph(work, photos, args.n, glyph, True)], []
        if args.rebuild_n:
            rows.append(bench_glyph(work, photos, args.rebuild_n, glyph, True))
        sigal = "not run (--no-peers, or not in --peers)"
        if not args.no_peers:
            wanted = args.peers.split(",")
            for peer in (bench_sigal, bench_vips, bench_hugo):
                if peer.__name__[6:] not in wanted:
                    continue
                try:
                    r = peer(work, photos, args.n)
                except Exception as e:  # a peer failing must not hide the others
                    r = f"{peer.__name__[6:]} failed: {e}"
                (rows if isinstance(r, dict) else notes).append(r)
                if peer is bench_sigal:
                    sigal = r
        if "landscape" in sets:
            floor = bench_floor(work, photos, args.n, "landscape")
            compared.append(("landscape", rows[0], sigal, floor))

        base = rows[0]["cold"]
        print(f"\n{'tool':<26}{'N':>6}{'cold s':>9}{'photos/s':>10}{'no-op s':>9}"
              f"{'edit s':>8}{'add s':>8}{'peak MB':>9}{'× glyph':>9}")
        for r in rows:
            fmt = lambda k: f"{r[k]:.2f}" if r.get(k) is not None else "–"
            ratio = f"{r['cold'] / base:.1f}" if r["tool"] != "glyph" else "1.0"
            print(f"{r['tool']:<26}{r['n']:>6}{r['cold']:>9.2f}{r['n'] / r['cold']:>10.1f}"
                  f"{fmt('noop'):>9}{fmt('edit'):>8}{fmt('add'):>8}{r['rss']:>9.0f}{ratio:>9}")
        for note in notes:
            print(f"skipped: {note}")

    if "portraits" in sets:
        g = bench_glyph(work, portraits, args.n, glyph, False, "portraits-glyph")
        try:
            s = (bench_sigal(work, portraits, args.n, "portraits-sigal")
                 if not args.no_peers else "not run (--no-peers)")
        except Exception as e:
            s = f"sigal failed: {e}"
        f = bench_floor(work, portraits, args.n, "portraits")
        compared.append(("portraits", g, s, f))
    if compared:
        compare_sets(compared)


if __name__ == "__main__":
    main()
