#!/usr/bin/env python3
"""Write the binary cases of the bad-input corpus, tests/fixtures/bad/photos/.

    python3 scripts/make_bad_fixtures.py

Deterministic, standard library only. The text cases (sidecars, content, templates)
are written by hand; see tests/fixtures/bad/README.md.
"""

import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests/fixtures/photos/noexif.jpg"  # a small, valid baseline JPEG
OUT = ROOT / "tests/fixtures/bad/photos"


def tiff_ifd(entries, next_offset, base):
    """An IFD at `base` (offset in the TIFF block); entries are (tag, type, count,
    value bytes). Values over 4 bytes go after the IFD. Returns bytes."""
    n = len(entries)
    data_at = base + 2 + 12 * n + 4
    head, tail = struct.pack(">H", n), b""
    for tag, typ, count, value in entries:
        if len(value) <= 4:
            head += struct.pack(">HHI", tag, typ, count) + value.ljust(4, b"\0")
        else:
            head += struct.pack(">HHII", tag, typ, count, data_at + len(tail))
            tail += value
    return head + struct.pack(">I", next_offset) + tail


def rational(*pairs):
    return b"".join(struct.pack(">II", a, b) for a, b in pairs)


def exif_app1(gps_entries, ifd0_extra=()):
    """An APP1 segment with IFD0 (Orientation plus `ifd0_extra`) pointing to a GPS IFD."""
    ifd0_entries = [(0x0112, 3, 1, struct.pack(">H", 1))] + list(ifd0_extra)
    # Size IFD0 with a placeholder GPS pointer to learn where the GPS IFD goes.
    probe = tiff_ifd(ifd0_entries + [(0x8825, 4, 1, struct.pack(">I", 0))], 0, 8)
    gps_at = 8 + len(probe)
    ifd0 = tiff_ifd(ifd0_entries + [(0x8825, 4, 1, struct.pack(">I", gps_at))], 0, 8)
    gps = tiff_ifd(gps_entries, 0, gps_at)
    tiff = b"MM\0*" + struct.pack(">I", 8) + ifd0 + gps
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def with_app1(jpeg, app1):
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + app1 + jpeg[2:]


def png(w, h, bit_depth, color_type, raw_rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(raw_rows, 9)) + chunk(b"IEND", b""))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    good = GOOD.read_bytes()
    (OUT / "zero-byte.jpg").write_bytes(b"")
    (OUT / "text.jpg").write_text("This is a shopping list, not a photo.\nMilk\nBread\n")
    (OUT / "truncated.jpg").write_bytes(good[: len(good) * 6 // 10])

    # GPS with zero denominators in every rational (0/0 degrees…).
    zero = [
        (0x0001, 2, 2, b"N\0"),
        (0x0002, 5, 3, rational((43, 0), (0, 0), (0, 0))),
        (0x0003, 2, 2, b"E\0"),
        (0x0004, 5, 3, rational((79, 0), (0, 0), (0, 0))),
    ]
    (OUT / "exif-zero-denominators.jpg").write_bytes(with_app1(good, exif_app1(zero)))

    # A GPS reference of `X` (neither N/S nor E/W), and a date that is not a date.
    ref_x = [
        (0x0001, 2, 2, b"X\0"),
        (0x0002, 5, 3, rational((43, 1), (35, 1), (0, 1))),
        (0x0003, 2, 2, b"X\0"),
        (0x0004, 5, 3, rational((79, 1), (38, 1), (0, 1))),
    ]
    (OUT / "exif-gps-ref-x.jpg").write_bytes(with_app1(good, exif_app1(ref_x)))

    # A decompression bomb: 30000×30000 8-bit RGB declared (2.7 GB of pixels), a few
    # rows of zeros present. Compressed, the file is tiny.
    w = h = 30000
    rows = (b"\0" + b"\0" * (w * 3)) * 4
    (OUT / "bomb-30000.png").write_bytes(png(w, h, 8, 2, rows))

    # 16 bits per channel RGB, a smooth gradient (must work).
    w, h = 64, 48
    raw = b""
    for y in range(h):
        raw += b"\0" + b"".join(
            struct.pack(">HHH", x * 1024, y * 1365, 65535 - x * 1024) for x in range(w))
    (OUT / "rgb-16bit.png").write_bytes(png(w, h, 16, 2, raw))

    # CMYK (Adobe, inverted) JPEG, from the colour fixtures (must work).
    (OUT / "cmyk.jpg").write_bytes((ROOT / "tests/fixtures/color/cmyk.jpg").read_bytes())
    print(f"wrote {len(list(OUT.iterdir()))} files into {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
