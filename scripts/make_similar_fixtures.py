#!/usr/bin/env python3
"""Make the re-encoded copy that src/import/similar.rs's tests compare (pip install pillow).

- tests/fixtures/similar/img_1771_no_exif-320-q70.jpg: img_1771_no_exif.jpg (480x360)
  resized to 320x240 (Lanczos) and saved as baseline JPEG quality 70 with 4:2:0 chroma
  and no metadata, as Instagram re-encodes a photo: the same picture, other bytes.

Deterministic: the same Pillow (libjpeg) writes the same bytes; the tests assert only
that the copy is the same picture, so another encoder's bytes would do as well.
"""
from pathlib import Path

from PIL import Image

here = Path(__file__).resolve().parent.parent / "tests/fixtures/similar"

with Image.open(here / "img_1771_no_exif.jpg") as im:
    small = im.convert("RGB").resize((320, 240), Image.LANCZOS)
small.save(
    here / "img_1771_no_exif-320-q70.jpg",
    "JPEG",
    quality=70,
    subsampling="4:2:0",
    optimize=False,
    progressive=False,
)
