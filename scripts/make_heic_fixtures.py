#!/usr/bin/env python3
"""Make the HEIC test fixtures (pip install pillow-heif).

- tests/fixtures/photos/rotated-irot-exif6.heic: stored 96x64 (a red band on the left,
  the rest blue), written with EXIF Orientation 6 *and* an `irot` box, as iPhones do.
  Displayed correctly it is 64x96 with the red band at the top; rotated twice, the red
  band would be on the right of a landscape picture.
- tests/fixtures/heic/orientation-N.heic, N = 1..8: stored 48x32 in four quadrants
  (red, green / blue, white), written with EXIF Orientation N, which libheif turns into
  the matching `irot` and `imir` boxes (2, 4, 5 and 7 mirror). Displayed correctly,
  each looks as the quadrants do after that orientation (the test lists the corners).
- tests/fixtures/heic/IMG_5195-p3-24x31.png: the iPhone photo as libheif (pillow-heif)
  decodes it, still in its Display P3 colours, averaged down to 24x31: glyph's output
  must be the same picture, and more saturated where the colours are strong, since the
  same colour needs larger sRGB values than P3 ones.
"""
from pathlib import Path

import pillow_heif
from PIL import Image

root = Path(__file__).resolve().parent.parent
photos = root / "tests/fixtures/photos"

im = Image.new("RGB", (96, 64), (0, 0, 255))
im.paste((255, 0, 0), (0, 0, 24, 64))
exif = Image.Exif()
exif[0x0112] = 6
exif[0x010F] = "glyph test"
pillow_heif.register_heif_opener()
im.save(photos / "rotated-irot-exif6.heic", exif=exif.tobytes(), quality=90)

quad = Image.new("RGB", (48, 32), (255, 255, 255))
quad.paste((255, 0, 0), (0, 0, 24, 16))
quad.paste((0, 255, 0), (24, 0, 48, 16))
quad.paste((0, 0, 255), (0, 16, 24, 32))
(root / "tests/fixtures/heic").mkdir(exist_ok=True)
for n in range(1, 9):
    exif = Image.Exif()
    exif[0x0112] = n
    quad.save(root / f"tests/fixtures/heic/orientation-{n}.heic", exif=exif.tobytes(), quality=90)

heif = pillow_heif.open_heif(photos / "IMG_5195.HEIC", convert_hdr_to_8bit=True)
# libheif's decode as it is, still in Display P3, averaged down to 24x31.
out = root / "tests/fixtures/heic"
out.mkdir(exist_ok=True)
heif.to_pillow().convert("RGB").resize((24, 31), Image.BOX).save(out / "IMG_5195-p3-24x31.png")
