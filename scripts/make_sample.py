#!/usr/bin/env python3
"""Regenerate the bundled sample archive in photos/.

Every picture is drawn by this script (no third-party images): a door or wall,
a sign plate with a little material texture, and pictograms made of plain
shapes. Each JPEG gets EXIF written by Pillow (date, offset, camera, GPS of a
real place, one Orientation=6), and most get a YAML sidecar in the format of
DESIGN.md. Output is deterministic: same Pillow, same bytes.

Usage:  pip install Pillow && python3 scripts/make_sample.py [--out DIR]

It overwrites its own outputs (the files listed in SIGNS) and prints every path
it writes. It never deletes anything.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from pathlib import Path

try:
    from PIL import (Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter,
                     ImageFont)
    from PIL.TiffImagePlugin import IFDRational
except ImportError:  # pragma: no cover
    sys.exit("make_sample.py needs Pillow: pip install Pillow")

SEED = 20170603
SS = 2            # the scene is drawn at twice the final size, then reduced
ICON_SS = 3       # pictograms are drawn at 3x their size on their own layer
QUALITY = 82
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
ERASE = (0, 0, 0, 0)

# --------------------------------------------------------------------------
# small helpers


def font(name: str, px: float) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / name
    if not path.exists():
        sys.exit(f"make_sample.py needs the DejaVu fonts: {path} is missing "
                 "(apt-get install fonts-dejavu-core fonts-dejavu-extra)")
    return ImageFont.truetype(str(path), max(1, int(px)))


def shade(c, f):
    """Colour c scaled by f (f>1 lightens toward white)."""
    if f >= 1:
        return tuple(int(v + (255 - v) * (f - 1)) for v in c[:3])
    return tuple(int(v * f) for v in c[:3])


def mix(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def rgba(c, a=255):
    return (c[0], c[1], c[2], a)


def noise(rng: random.Random, size, cell=(1, 1)) -> Image.Image:
    """Uniform noise; cell > 1 makes it smooth (cell=(40, 1) gives horizontal streaks)."""
    if isinstance(cell, (int, float)):
        cell = (cell, cell)
    w = max(2, int(size[0] / cell[0]))
    h = max(2, int(size[1] / cell[1]))
    n = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    if (w, h) != tuple(size):
        n = n.resize(size, Image.Resampling.BICUBIC)
    return n


def texture(img: Image.Image, rng, amount, cell=1) -> Image.Image:
    """Modulate brightness by +-amount with noise of the given cell size."""
    n = noise(rng, img.size, cell)
    hi = ImageEnhance.Brightness(img).enhance(1 + amount)
    lo = ImageEnhance.Brightness(img).enhance(1 - amount)
    return Image.composite(hi, lo, n)


def vgrad(size, top, bottom) -> Image.Image:
    m = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), m)


def rounded_mask(size, radius) -> Image.Image:
    m = Image.new("L", size, 0)
    ImageDraw.Draw(m).rounded_rectangle([0, 0, size[0] - 1, size[1] - 1], radius=radius, fill=255)
    return m


def shadow(img: Image.Image, box, radius, offset, blur, opacity):
    """Soft shadow of a rounded box, darkening img in place."""
    x0, y0, x1, y1 = [int(v) for v in box]
    pad = int(blur * 3 + max(abs(offset[0]), abs(offset[1])))
    region = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    w, h = region[2] - region[0], region[3] - region[1]
    m = Image.new("L", (w, h), 0)
    ImageDraw.Draw(m).rounded_rectangle(
        [pad + offset[0], pad + offset[1], pad + offset[0] + (x1 - x0), pad + offset[1] + (y1 - y0)],
        radius=radius, fill=int(255 * opacity))
    m = m.filter(ImageFilter.GaussianBlur(blur))
    img.paste((8, 6, 4), region[:2], m)


def thick(d, pts, w, fill):
    """Polyline with round caps and joints."""
    d.line(pts, fill=fill, width=int(w), joint="curve")
    r = w / 2
    for x, y in pts:
        d.ellipse([x - r, y - r, x + r, y + r], fill=fill)


def circle(d, c, r, fill=None, outline=None, width=1):
    d.ellipse([c[0] - r, c[1] - r, c[0] + r, c[1] + r], fill=fill, outline=outline, width=int(width))


# --------------------------------------------------------------------------
# pictograms: each draws on its own RGBA layer, in units of the figure height h;
# p(a, b) maps (a, b) in units of h, relative to the top centre, to pixels.


def pict_man(d, p, h, fill):
    circle(d, p(0, 0.09), 0.088 * h, fill)
    d.rounded_rectangle([p(-0.125, 0.205), p(0.125, 0.60)], radius=0.05 * h, fill=fill)
    d.rounded_rectangle([p(-0.125, 0.50), p(-0.012, 1.0)], radius=0.035 * h, fill=fill)
    d.rounded_rectangle([p(0.012, 0.50), p(0.125, 1.0)], radius=0.035 * h, fill=fill)
    d.rectangle([p(-0.012, 0.60), p(0.012, 1.0)], fill=ERASE)
    for s in (-1, 1):
        a0, a1 = sorted((s * 0.145, s * 0.205))
        d.rounded_rectangle([p(a0, 0.205), p(a1, 0.56)], radius=0.03 * h, fill=fill)


def pict_woman(d, p, h, fill):
    circle(d, p(0, 0.09), 0.088 * h, fill)
    d.rounded_rectangle([p(-0.13, 0.205), p(0.13, 0.34)], radius=0.06 * h, fill=fill)
    d.polygon([p(-0.13, 0.27), p(0.13, 0.27), p(0.235, 0.68), p(-0.235, 0.68)], fill=fill)
    for s in (-1, 1):
        a0, a1 = sorted((s * 0.150, s * 0.205))
        g0, g1 = sorted((s * 0.130, s * 0.225))
        d.rounded_rectangle([p(g0, 0.185), p(g1, 0.53)], radius=0.04 * h, fill=ERASE)
        d.rounded_rectangle([p(a0, 0.205), p(a1, 0.51)], radius=0.03 * h, fill=fill)
    d.rounded_rectangle([p(-0.11, 0.62), p(-0.022, 1.0)], radius=0.035 * h, fill=fill)
    d.rounded_rectangle([p(0.022, 0.62), p(0.11, 1.0)], radius=0.035 * h, fill=fill)


def pict_wheelchair(d, p, h, fill):
    """International Symbol of Access, facing right."""
    w = 0.105 * h
    circle(d, p(-0.06, 0.09), 0.085 * h, fill)
    thick(d, [p(-0.12, 0.25), p(-0.12, 0.56), p(0.17, 0.56), p(0.29, 0.86), p(0.40, 0.86)], w, fill)
    thick(d, [p(-0.12, 0.35), p(0.10, 0.35)], w * 0.9, fill)
    c = p(-0.10, 0.68)
    r = 0.29 * h
    d.arc([c[0] - r, c[1] - r, c[0] + r, c[1] + r], start=15, end=292, fill=fill, width=int(w * 0.85))


def pict_baby(d, p, h, fill):
    """Baby changing: an adult at a changing table with a baby on it."""
    circle(d, p(-0.30, 0.09), 0.085 * h, fill)
    d.rounded_rectangle([p(-0.40, 0.205), p(-0.20, 0.60)], radius=0.05 * h, fill=fill)
    d.rounded_rectangle([p(-0.40, 0.52), p(-0.31, 1.0)], radius=0.035 * h, fill=fill)
    d.rounded_rectangle([p(-0.29, 0.52), p(-0.20, 1.0)], radius=0.035 * h, fill=fill)
    thick(d, [p(-0.21, 0.26), p(-0.06, 0.40), p(0.02, 0.40)], 0.07 * h, fill)
    # table and its stand
    d.rounded_rectangle([p(-0.10, 0.50), p(0.46, 0.565)], radius=0.02 * h, fill=fill)
    d.polygon([p(0.10, 0.565), p(0.26, 0.565), p(0.21, 0.95), p(0.15, 0.95)], fill=fill)
    d.rounded_rectangle([p(0.04, 0.95), p(0.32, 1.0)], radius=0.02 * h, fill=fill)
    # the baby
    circle(d, p(0.38, 0.405), 0.06 * h, fill)
    d.rounded_rectangle([p(0.04, 0.37), p(0.31, 0.47)], radius=0.045 * h, fill=fill)


def pict_robot(d, p, h, fill):
    thick(d, [p(0, 0.06), p(0, -0.02)], 0.025 * h, fill)
    circle(d, p(0, -0.03), 0.03 * h, fill)
    d.rounded_rectangle([p(-0.12, 0.04), p(0.12, 0.20)], radius=0.025 * h, fill=fill)
    for s in (-1, 1):
        circle(d, p(s * 0.05, 0.11), 0.025 * h, ERASE)
    d.rectangle([p(-0.04, 0.165), p(0.04, 0.178)], fill=ERASE)
    d.rounded_rectangle([p(-0.15, 0.225), p(0.15, 0.60)], radius=0.02 * h, fill=fill)
    for s in (-1, 1):
        circle(d, p(s * 0.06, 0.33), 0.022 * h, ERASE)
        a0, a1 = sorted((s * 0.17, s * 0.225))
        d.rounded_rectangle([p(a0, 0.235), p(a1, 0.52)], radius=0.015 * h, fill=fill)
        circle(d, p(s * 0.1975, 0.55), 0.035 * h, fill)
        b0, b1 = sorted((s * 0.03, s * 0.12))
        d.rounded_rectangle([p(b0, 0.62), p(b1, 1.0)], radius=0.015 * h, fill=fill)


def pict_urgent(d, p, h, fill):
    """A figure with crossed legs and hands clasped low: the universal hurry."""
    circle(d, p(0.0, 0.09), 0.088 * h, fill)
    d.rounded_rectangle([p(-0.115, 0.205), p(0.115, 0.56)], radius=0.05 * h, fill=fill)
    for s in (-1, 1):
        thick(d, [p(s * 0.16, 0.25), p(s * 0.20, 0.42), p(s * 0.03, 0.58)], 0.06 * h, fill)
    thick(d, [p(-0.07, 0.56), p(0.11, 0.97)], 0.095 * h, fill)
    thick(d, [p(0.07, 0.56), p(-0.11, 0.97)], 0.095 * h, ERASE)
    thick(d, [p(0.07, 0.56), p(-0.11, 0.97)], 0.075 * h, fill)
    for s in (-1, 1):
        for k in range(3):
            a = 0.30 + k * 0.05
            d.arc([p(s * a - 0.06, 0.42 + k * 0.02), p(s * a + 0.06, 0.80 - k * 0.02)],
                  start=-40 if s > 0 else 140, end=40 if s > 0 else 220, fill=fill, width=int(0.022 * h))
    # two drops of sweat
    for (a, b) in ((0.16, 0.02), (0.21, 0.11)):
        x, y = p(a, b)
        r = 0.022 * h
        d.polygon([(x, y - 2.2 * r), (x - r, y), (x + r, y)], fill=fill)
        circle(d, (x, y), r, fill)


PICTS = {"man": pict_man, "woman": pict_woman, "wheelchair": pict_wheelchair,
         "baby": pict_baby, "robot": pict_robot, "urgent": pict_urgent}


def icon(kind, h, color, outline=0.0):
    """An RGBA layer (1.3h x 1.15h) with the pictogram; its top centre is at (0.65h, 0.06h).
    outline > 0 draws only the contour, outline*h thick."""
    s = ICON_SS
    H = h * s
    size = (int(1.3 * H), int(1.15 * H))
    lay = Image.new("RGBA", size, ERASE)
    d = ImageDraw.Draw(lay)
    ox, oy = 0.65 * H, 0.06 * H

    def p(a, b):
        return (ox + a * H, oy + b * H)
    if kind == "half":
        # all-gender figure: the left half in a dress, the right half in trousers
        right = Image.new("RGBA", size, ERASE)
        pict_woman(d, p, H, rgba(color))
        pict_man(ImageDraw.Draw(right), p, H, rgba(color))
        gap = 0.014 * H
        d.rectangle([ox - gap, 0, size[0], size[1]], fill=ERASE)
        ImageDraw.Draw(right).rectangle([0, 0, ox + gap, size[1]], fill=ERASE)
        lay.alpha_composite(right)
    else:
        PICTS[kind](d, p, H, rgba(color))
    if outline:
        a = lay.getchannel("A")
        t = max(1, int(outline * H))
        inner = a.filter(ImageFilter.BoxBlur(t)).point(lambda v: 255 if v >= 250 else 0)
        a = ImageChops.subtract(a, inner)
        lay = Image.new("RGBA", size, rgba(color))
        lay.putalpha(a)
    return lay.resize((int(1.3 * h), int(1.15 * h)), Image.Resampling.LANCZOS)


def arrow_layer(length, w, color, direction="right"):
    s = ICON_SS
    L, W = length * s, w * s
    lay = Image.new("RGBA", (int(L + W), int(2.6 * W)), ERASE)
    d = ImageDraw.Draw(lay)
    cy = 1.3 * W
    thick(d, [(0.5 * W, cy), (L - 1.2 * W, cy)], W, rgba(color))
    d.polygon([(L + 0.5 * W, cy), (L - 1.4 * W, cy - 1.25 * W), (L - 1.4 * W, cy + 1.25 * W)], fill=rgba(color))
    lay = lay.resize((int((L + W) / s), int(2.6 * W / s)), Image.Resampling.LANCZOS)
    return lay.rotate({"right": 0, "up": 90, "left": 180, "down": 270}[direction], expand=True,
                      resample=Image.Resampling.BICUBIC)


# --------------------------------------------------------------------------
# sign plates


class Plate:
    """A sign plate: a material image, an ink layer on top, a rounded outline."""

    def __init__(self, base: Image.Image, radius: float):
        self.base = base
        self.w, self.h = base.size
        self.radius = radius
        self.ink = Image.new("RGBA", base.size, ERASE)
        self.d = ImageDraw.Draw(self.ink)

    def put(self, layer, cx, cy):
        x = int(cx - layer.width / 2)
        y = int(cy - layer.height / 2)
        self.ink.alpha_composite(layer, (max(0, x), max(0, y)),
                                 (max(0, -x), max(0, -y)))

    def icon(self, kind, cx, top, h, color, outline=0.0):
        lay = icon(kind, h, color, outline)
        self.ink.alpha_composite(lay, (int(cx - 0.65 * h), int(top - 0.06 * h)))

    def arrow(self, cx, cy, length, w, color, direction="right"):
        self.put(arrow_layer(length, w, color, direction), cx, cy)

    def text(self, s, cx, cy, px, face, fill, tracking=0.0, engrave=None, wobble=None, maxw=None):
        f = font(face, px)
        maxw = maxw or self.w * 0.86
        while sum(f.getlength(ch) for ch in s) + tracking * px * (len(s) - 1) > maxw:
            px *= 0.96
            f = font(face, px)
        if not tracking and not wobble:
            if engrave:
                self.d.text((cx + px * 0.03, cy + px * 0.03), s, font=f, fill=rgba(engrave, 170), anchor="mm")
            self.d.text((cx, cy), s, font=f, fill=rgba(fill), anchor="mm")
            return
        widths = [f.getlength(ch) for ch in s]
        total = sum(widths) + tracking * px * (len(s) - 1)
        x = cx - total / 2
        for ch, w in zip(s, widths):
            if wobble:
                rng, deg = wobble
                lay = Image.new("RGBA", (int(px * 1.6), int(px * 1.6)), ERASE)
                ImageDraw.Draw(lay).text((lay.width / 2, lay.height / 2), ch, font=f, fill=rgba(fill), anchor="mm")
                lay = lay.rotate(rng.uniform(-deg, deg), resample=Image.Resampling.BICUBIC)
                self.put(lay, x + w / 2, cy + rng.uniform(-0.04, 0.04) * px)
            else:
                if engrave:
                    self.d.text((x + w / 2 + px * 0.03, cy + px * 0.03), ch, font=f, fill=rgba(engrave, 170), anchor="mm")
                self.d.text((x + w / 2, cy), ch, font=f, fill=rgba(fill), anchor="mm")
            x += w + tracking * px

    def finish(self, rng, bevel=0.35, gloss=0.10, grain=0.015, chips=0, chip_color=(30, 30, 35)):
        img = self.base.convert("RGBA")
        img.alpha_composite(self.ink)
        img = img.convert("RGB")
        if grain:
            img = texture(img, rng, grain, 2)
        d = ImageDraw.Draw(img)
        for _ in range(chips):
            # enamel chipped near the edge, showing the dark iron underneath
            side = rng.choice("tblr")
            t = rng.uniform(0.05, 0.95)
            x = {"t": t * self.w, "b": t * self.w, "l": rng.uniform(0, 0.03) * self.w, "r": (1 - rng.uniform(0, 0.03)) * self.w}[side]
            y = {"l": t * self.h, "r": t * self.h, "t": rng.uniform(0, 0.04) * self.h, "b": (1 - rng.uniform(0, 0.04)) * self.h}[side]
            r = rng.uniform(0.008, 0.022) * min(self.w, self.h)
            pts = [(x + math.cos(a) * r * rng.uniform(0.5, 1.3), y + math.sin(a) * r * rng.uniform(0.5, 1.3))
                   for a in [k * math.pi / 4 for k in range(8)]]
            d.polygon(pts, fill=chip_color)
        if gloss:
            g = Image.linear_gradient("L").resize((self.w, self.h)).rotate(35, resample=Image.Resampling.BILINEAR, fillcolor=0)
            g = g.point(lambda v: int(255 * gloss * max(0.0, 1 - abs(v - 110) / 60)))
            img.paste((255, 255, 255), (0, 0), g)
        if bevel:
            bw = max(3, int(0.012 * min(self.w, self.h)))
            rim = Image.new("L", img.size, 0)
            ImageDraw.Draw(rim).rounded_rectangle([0, 0, self.w - 1, self.h - 1], radius=self.radius,
                                                  outline=int(255 * bevel), width=bw)
            img.paste(vgrad(img.size, (255, 255, 255), (0, 0, 0)), (0, 0), rim)
        return img, rounded_mask(img.size, self.radius)


def mat_solid(rng, size, color, grad=0.10, grain=0.02):
    img = vgrad(size, shade(color, 1 + grad), shade(color, 1 - grad))
    return texture(img, rng, grain, 30)


def mat_brushed(rng, size, color, streak=0.10):
    img = vgrad(size, shade(color, 1.10), shade(color, 0.86))
    img = texture(img, rng, streak, (size[0] / 3, 1))
    return texture(img, rng, streak * 0.5, (12, 1))


def mat_wood(rng, size, dark, light, vertical=False, rings=True):
    w, h = size
    n = noise(rng, size, (w / 4, 2) if not vertical else (2, h / 4))
    n2 = noise(rng, size, (w / 30, 6) if not vertical else (6, h / 30))
    n = Image.blend(n, n2, 0.45)
    n = n.point(lambda v: max(0, min(255, int((v - 128) * 3.2 + 128))))
    img = Image.composite(Image.new("RGB", size, light), Image.new("RGB", size, dark), n)
    if rings:
        d = ImageDraw.Draw(img)
        for _ in range(int((h if not vertical else w) / 18)):
            amp, period, phase = rng.uniform(2, 10), rng.uniform(80, 260), rng.uniform(0, 6)
            if not vertical:
                y = rng.uniform(0, h)
                pts = [(x, y + amp * math.sin(x / period + phase)) for x in range(0, w + 20, 20)]
            else:
                x0 = rng.uniform(0, w)
                pts = [(x0 + amp * math.sin(y / period + phase), y) for y in range(0, h + 20, 20)]
            d.line(pts, fill=shade(dark, rng.uniform(0.75, 1.0)), width=rng.choice((1, 2, 2, 3)))
    return img.filter(ImageFilter.GaussianBlur(0.8))


def place(scene, plate_img, mask, cx, cy, depth=6, shadow_blur=14, shadow_opacity=0.45,
          edge=(40, 40, 40), light=(-1, -1)):
    """Put a finished plate on the scene centred at (cx, cy) with thickness and a shadow."""
    w, h = plate_img.size
    x, y = int(cx - w / 2), int(cy - h / 2)
    r = min(w, h) * 0.1
    ox, oy = -light[0] * depth * 1.6, -light[1] * depth * 1.6
    shadow(scene, (x, y, x + w, y + h), r, (int(ox), int(oy)), shadow_blur, shadow_opacity)
    if depth:
        scene.paste(edge, (x + int(-light[0] * depth), y + int(-light[1] * depth)), mask)
    scene.paste(plate_img, (x, y), mask)
    return (x, y, x + w, y + h)


def screw(scene, c, r, color=(170, 170, 175), rng=None):
    d = ImageDraw.Draw(scene)
    circle(d, (c[0] + r * 0.25, c[1] + r * 0.3), r * 1.05, (40, 40, 40))
    circle(d, c, r, shade(color, 0.85))
    circle(d, (c[0] - r * 0.15, c[1] - r * 0.15), r * 0.75, color)
    a = rng.uniform(0, math.pi) if rng else 0.5
    dx, dy = math.cos(a) * r * 0.7, math.sin(a) * r * 0.7
    d.line([(c[0] - dx, c[1] - dy), (c[0] + dx, c[1] + dy)], fill=shade(color, 0.4), width=max(2, int(r * 0.25)))


# --------------------------------------------------------------------------
# walls and doors


def bg_plaster(rng, size, color):
    img = Image.new("RGB", size, color)
    img = texture(img, rng, 0.05, 120)
    img = texture(img, rng, 0.03, 14)
    return texture(img, rng, 0.025, 2)


def bg_painted_door(rng, size, color, wall, door_box, panels=2, handle="right", handle_y=0.55):
    """A painted door filling door_box, the wall around it; recessed panels and a lever."""
    img = bg_plaster(rng, size, wall)
    x0, y0, x1, y1 = [int(v) for v in door_box]
    dw, dh = x1 - x0, y1 - y0
    # architrave
    fr = int(dw * 0.06)
    frame = vgrad((dw + 2 * fr, dh + 2 * fr), shade(wall, 1.06), shade(wall, 0.92))
    img.paste(frame, (x0 - fr, y0 - fr))
    d = ImageDraw.Draw(img)
    d.rectangle([x0 - fr, y0 - fr, x1 + fr, y1 + fr], outline=shade(wall, 0.75), width=3)
    d.rectangle([x0 - 6, y0 - 6, x1 + 6, y1 + 6], fill=shade(wall, 0.55))
    door = vgrad((dw, dh), shade(color, 1.05), shade(color, 0.9))
    door = texture(door, rng, 0.03, (3, 60))
    door = texture(door, rng, 0.02, 2)
    dd = ImageDraw.Draw(door)
    if panels:
        m = int(dw * 0.14)
        gap = int(dh * 0.05)
        ph = (dh - 2 * m - (panels - 1) * gap) / panels
        for k in range(panels):
            py0 = int(m + k * (ph + gap))
            py1 = int(py0 + ph)
            b = int(dw * 0.025)
            dd.polygon([(m, py0), (dw - m, py0), (dw - m - b, py0 + b), (m + b, py0 + b)], fill=shade(color, 0.72))
            dd.polygon([(m, py0), (m + b, py0 + b), (m + b, py1 - b), (m, py1)], fill=shade(color, 0.80))
            dd.polygon([(m, py1), (m + b, py1 - b), (dw - m - b, py1 - b), (dw - m, py1)], fill=shade(color, 1.18))
            dd.polygon([(dw - m, py0), (dw - m, py1), (dw - m - b, py1 - b), (dw - m - b, py0 + b)], fill=shade(color, 1.10))
    img.paste(door, (x0, y0))
    if handle:
        hx = x1 - int(dw * 0.09) if handle == "right" else x0 + int(dw * 0.09)
        lever(img, (hx, y0 + int(dh * handle_y)), dw * 0.028, 1 if handle == "left" else -1)
    return img


def lever(img, c, r, direction):
    d = ImageDraw.Draw(img)
    circle(d, (c[0] + r * 0.3, c[1] + r * 0.5), r * 1.25, (25, 25, 25))
    circle(d, c, r * 1.2, (120, 122, 126))
    circle(d, (c[0] - r * 0.2, c[1] - r * 0.2), r * 0.9, (200, 202, 206))
    L = r * 6.5
    x2 = c[0] + direction * L
    d.rounded_rectangle([min(c[0], x2), c[1] - r * 0.45 + r * 0.5, max(c[0], x2), c[1] + r * 0.45 + r * 0.5],
                        radius=r * 0.45, fill=(30, 30, 30))
    d.rounded_rectangle([min(c[0], x2), c[1] - r * 0.45, max(c[0], x2), c[1] + r * 0.45],
                        radius=r * 0.45, fill=(175, 177, 182))
    d.line([(c[0], c[1] - r * 0.2), (x2 - direction * r * 0.4, c[1] - r * 0.2)], fill=(225, 226, 230), width=max(2, int(r * 0.15)))


def bg_tiles(rng, size, tw, th, color, grout, jitter=0.035, stagger=False, bevel=True):
    img = Image.new("RGB", size, grout)
    d = ImageDraw.Draw(img)
    g = max(2, int(min(tw, th) * 0.045))
    rows = int(size[1] / th) + 2
    cols = int(size[0] / tw) + 2
    for r in range(rows):
        off = (tw / 2 if stagger and r % 2 else 0) - tw * 0.3
        for c in range(cols):
            x, y = c * tw + off, r * th - th * 0.2
            tone = 1 + rng.uniform(-jitter, jitter)
            col = shade(color, tone)
            box = [x + g / 2, y + g / 2, x + tw - g / 2, y + th - g / 2]
            d.rounded_rectangle(box, radius=g * 1.2, fill=shade(col, 0.9) if bevel else col)
            if bevel:
                b = g * 1.1
                d.rounded_rectangle([box[0], box[1], box[2] - b, box[3] - b], radius=g, fill=shade(col, 1.08))
                d.rounded_rectangle([box[0] + b * 0.6, box[1] + b * 0.6, box[2] - b * 0.6, box[3] - b * 0.6],
                                    radius=g, fill=col)
    img = texture(img, rng, 0.02, 40)
    return texture(img, rng, 0.015, 2)


def bg_brick(rng, size, color, mortar, bw, bh, jitter=0.08):
    img = Image.new("RGB", size, mortar)
    img = texture(img, rng, 0.08, 3)
    d = ImageDraw.Draw(img)
    g = max(3, int(bh * 0.14))
    for r in range(int(size[1] / bh) + 2):
        off = -bw / 2 if r % 2 else -bw * 0.1
        for c in range(int(size[0] / bw) + 2):
            x, y = off + c * bw, r * bh
            col = shade(color, 1 + rng.uniform(-jitter, jitter))
            d.rounded_rectangle([x + g / 2, y + g / 2, x + bw - g / 2, y + bh - g / 2], radius=g * 0.8, fill=col)
            d.line([(x + g / 2 + 4, y + bh - g / 2), (x + bw - g / 2, y + bh - g / 2)], fill=shade(col, 0.8), width=max(2, g // 3))
    img = texture(img, rng, 0.06, 5)
    return texture(img, rng, 0.05, 60)


def bg_concrete(rng, size, tone, panel, holes=True):
    img = Image.new("RGB", size, tone)
    img = texture(img, rng, 0.06, 160)
    img = texture(img, rng, 0.05, 18)
    img = texture(img, rng, 0.05, 3)
    d = ImageDraw.Draw(img)
    pw, ph = panel
    for x in range(int(pw * 0.5), size[0], int(pw)):
        d.line([(x, 0), (x, size[1])], fill=shade(tone, 0.78), width=4)
        d.line([(x + 4, 0), (x + 4, size[1])], fill=shade(tone, 1.08), width=2)
    for y in range(int(ph * 0.7), size[1], int(ph)):
        d.line([(0, y), (size[0], y)], fill=shade(tone, 0.8), width=4)
    if holes:
        r = pw * 0.035
        for x in range(int(pw * 0.5), size[0] + int(pw), int(pw)):
            for y in range(int(ph * 0.7), size[1] + int(ph), int(ph)):
                for fx, fy in ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)):
                    c = (x - pw + fx * pw, y - ph + fy * ph)
                    circle(d, c, r * 1.15, shade(tone, 1.05))
                    circle(d, c, r, shade(tone, 0.55))
                    circle(d, (c[0] + r * 0.25, c[1] + r * 0.25), r * 0.7, shade(tone, 0.75))
    return img.filter(ImageFilter.GaussianBlur(0.6))


def bg_panels(rng, size, color, pw, vertical_seams=True):
    img = mat_brushed(rng, size, color, 0.03)
    d = ImageDraw.Draw(img)
    for x in range(int(pw * 0.3), size[0], int(pw)):
        d.rectangle([x, 0, x + 6, size[1]], fill=shade(color, 0.55))
        d.line([(x + 7, 0), (x + 7, size[1])], fill=shade(color, 1.15), width=2)
    return img


def bg_mural(rng, size):
    img = bg_plaster(rng, size, (235, 226, 205))
    d = ImageDraw.Draw(img)
    palette = [(236, 64, 122), (255, 193, 7), (0, 150, 136), (63, 81, 181), (255, 112, 67), (139, 195, 74), (33, 33, 33)]
    w, h = size
    for k in range(26):
        col = palette[k % len(palette)]
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        if k % 3 == 0:
            pts = []
            r0 = rng.uniform(0.12, 0.3) * h
            for i in range(14):
                a = 2 * math.pi * i / 14
                rr = r0 * rng.uniform(0.75, 1.2)
                pts.append((cx + math.cos(a) * rr, cy + math.sin(a) * rr))
            d.polygon(pts, fill=col)
        elif k % 3 == 1:
            a = rng.uniform(0, math.pi)
            L = rng.uniform(0.4, 0.9) * w
            thick(d, [(cx - math.cos(a) * L / 2, cy - math.sin(a) * L / 2), (cx + math.cos(a) * L / 2, cy + math.sin(a) * L / 2)],
                  rng.uniform(0.03, 0.08) * h, col)
        else:
            r = rng.uniform(0.03, 0.1) * h
            circle(d, (cx, cy), r, col)
            circle(d, (cx, cy), r * 0.55, palette[(k + 3) % len(palette)])
    img = texture(img, rng, 0.08, (4, 40))
    return texture(img, rng, 0.04, 2)


def bg_boards(rng, size, color, board_h, horizontal=True):
    """Painted weatherboards (horizontal) or timber boards."""
    img = Image.new("RGB", size, color)
    d = ImageDraw.Draw(img)
    n = int((size[1] if horizontal else size[0]) / board_h) + 2
    for k in range(n):
        a = k * board_h
        if horizontal:
            d.rectangle([0, a, size[0], a + board_h * 0.18], fill=shade(color, 0.78))
            d.rectangle([0, a + board_h * 0.18, size[0], a + board_h * 0.26], fill=shade(color, 0.9))
        else:
            d.rectangle([a, 0, a + 8, size[1]], fill=shade(color, 0.45))
    img = texture(img, rng, 0.05, (size[0] / 6, 3) if horizontal else (3, size[1] / 6))
    return texture(img, rng, 0.025, 2)


def bg_wood_wall(rng, size, dark, light, plank_w):
    img = Image.new("RGB", size)
    x = 0
    while x < size[0]:
        w = int(plank_w * rng.uniform(0.8, 1.2))
        tone = rng.uniform(0.85, 1.12)
        plank = mat_wood(rng, (w, size[1]), shade(dark, tone), shade(light, tone), vertical=True)
        img.paste(plank, (x, 0))
        ImageDraw.Draw(img).rectangle([x, 0, x + 5, size[1]], fill=shade(dark, 0.45))
        x += w
    return img


# --------------------------------------------------------------------------
# light and camera


def lighting(img, rng, centre=(0.45, 0.35), falloff=0.45, tint=(1.0, 0.98, 0.94), side=0.0):
    """Multiply by a soft pool of light (brightest at centre) and an optional side gradient."""
    gw, gh = 64, 48
    w, h = img.size
    chans = []
    for t in tint:
        px = []
        for j in range(gh):
            for i in range(gw):
                dx = i / (gw - 1) - centre[0]
                dy = (j / (gh - 1) - centre[1]) * 0.75
                f = 1 - falloff * (dx * dx + dy * dy) * 1.2 - side * (i / (gw - 1) - 0.5)
                px.append(max(0, min(255, int(255 * max(0.5, f) * t))))
        m = Image.new("L", (gw, gh))
        m.putdata(px)
        chans.append(m.resize((w, h), Image.Resampling.BICUBIC))
    return ImageChops.multiply(img, Image.merge("RGB", chans))


def camera(img, margin, out_size, rng, tilt=1.0, keystone=0.25, blur=1.0, grain=0.02):
    """View the margin-padded scene through a slightly tilted, slightly skewed lens."""
    W, H = img.width - 2 * margin, img.height - 2 * margin
    cx, cy = img.width / 2, img.height / 2
    a = math.radians(tilt)
    quad = []
    # QUAD wants the source corners: upper-left, lower-left, lower-right, upper-right
    for (sx, sy) in ((-1, -1), (-1, 1), (1, 1), (1, -1)):
        x, y = sx * W / 2, sy * H / 2
        x += rng.uniform(-1, 1) * keystone * margin * 0.5 + (keystone * margin * 0.4 * -sx if sy < 0 else 0)
        rx = x * math.cos(a) - y * math.sin(a)
        ry = x * math.sin(a) + y * math.cos(a)
        quad += [cx + rx, cy + ry]
    out = img.transform((W, H), Image.Transform.QUAD, quad, resample=Image.Resampling.BICUBIC)
    out = out.filter(ImageFilter.GaussianBlur(blur))
    out = out.resize(out_size, Image.Resampling.LANCZOS)
    return texture(out, rng, grain, 1)


class Canvas:
    """A scene at SS x the final size plus a margin for the camera's tilt."""

    def __init__(self, size):
        self.out = size
        self.W, self.H = size[0] * SS, size[1] * SS
        self.M = int(0.06 * max(self.W, self.H))
        self.size = (self.W + 2 * self.M, self.H + 2 * self.M)
        self.u = min(self.W, self.H) / 1000   # one "unit" = 1/1000 of the short side

    def x(self, f):
        return self.M + f * self.W

    def y(self, f):
        return self.M + f * self.H

    def box(self, fx0, fy0, fx1, fy1):
        return (self.x(fx0), self.y(fy0), self.x(fx1), self.y(fy1))


# --------------------------------------------------------------------------
# the signs, one function each: (rng) -> upright RGB image of the final size

RED = (200, 32, 38)
WHITE = (248, 248, 244)
BLACK = (22, 22, 24)
BLUE = (18, 70, 160)


def draw_mississauga(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_painted_door(rng, cv.size, (214, 208, 196), (236, 230, 218), cv.box(0.14, -0.2, 0.86, 1.2), panels=0, handle="right",
                            handle_y=0.60)
    pw, ph = int(640 * u), int(400 * u)
    pl = Plate(mat_solid(rng, (pw, ph), RED, 0.07, 0.01), 40 * u)
    pl.icon("woman", pw * 0.22, 40 * u, 250 * u, WHITE)
    pl.icon("man", pw * 0.5, 40 * u, 250 * u, WHITE)
    pl.icon("wheelchair", pw * 0.76, 40 * u, 250 * u, WHITE)
    for fx in (0.36, 0.635):
        pl.d.rectangle([pw * fx - 2 * u, 50 * u, pw * fx + 2 * u, 290 * u], fill=rgba(WHITE, 200))
    pl.text("WASHROOM", pw / 2, ph - 62 * u, 58 * u, "DejaVuSans-Bold.ttf", WHITE, tracking=0.12)
    img, m = pl.finish(rng, bevel=0.3, gloss=0.12)
    cx, cy = cv.x(0.5), cv.y(0.36)
    box = place(scene, img, m, cx, cy, depth=int(10 * u), shadow_blur=18 * u, shadow_opacity=0.4, edge=(120, 20, 20))
    for sx in (box[0] + 32 * u, box[2] - 32 * u):
        for sy in (box[1] + 32 * u, box[3] - 32 * u):
            screw(scene, (sx, sy), 13 * u, (200, 200, 204), rng)
    scene = lighting(scene, rng, (0.5, 0.25), 0.5)
    return camera(scene, cv.M, size, rng, tilt=-1.2, keystone=0.3)


def draw_berlin_kreuzberg(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = Image.new("RGB", cv.size)
    door = mat_wood(rng, cv.size, (92, 54, 28), (150, 98, 56), vertical=True)
    scene.paste(door)
    d = ImageDraw.Draw(scene)
    for fx in (0.08, 0.92):
        d.rectangle([cv.x(fx) - 10 * u, 0, cv.x(fx) + 10 * u, cv.size[1]], fill=(60, 34, 16))
    cream = (240, 234, 214)
    pw, ph = int(980 * u), int(240 * u)
    pl = Plate(mat_solid(rng, (pw, ph), cream, 0.05, 0.015), ph * 0.42)
    pl.d.rounded_rectangle([18 * u, 18 * u, pw - 18 * u, ph - 18 * u], radius=ph * 0.42 - 18 * u, outline=rgba(BLACK), width=int(7 * u))
    pl.text("DAMEN", pw * 0.27, ph * 0.5, 70 * u, "DejaVuSerif-Bold.ttf", BLACK, tracking=0.06, maxw=pw * 0.4)
    pl.text("HERREN", pw * 0.73, ph * 0.5, 70 * u, "DejaVuSerif-Bold.ttf", BLACK, tracking=0.06, maxw=pw * 0.4)
    pl.d.rectangle([pw / 2 - 3 * u, 55 * u, pw / 2 + 3 * u, ph - 55 * u], fill=rgba(BLACK))
    img, m = pl.finish(rng, bevel=0.25, gloss=0.14, chips=9)
    box = place(scene, img, m, cv.x(0.5), cv.y(0.42), depth=int(6 * u), shadow_blur=10 * u, shadow_opacity=0.5)
    for sx in (box[0] + 60 * u, box[2] - 60 * u):
        screw(scene, (sx, (box[1] + box[3]) / 2), 11 * u, (150, 130, 90), rng)
    scene = lighting(scene, rng, (0.35, 0.3), 0.7, tint=(1.0, 0.93, 0.82))
    return camera(scene, cv.M, size, rng, tilt=2.0, keystone=0.3)


def draw_paris(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_tiles(rng, cv.size, 150 * u, 75 * u, (246, 245, 240), (196, 192, 182), stagger=True)
    blue = (20, 52, 130)
    pw, ph = int(760 * u), int(300 * u)
    pl = Plate(mat_solid(rng, (pw, ph), blue, 0.05, 0.015), 26 * u)
    pl.d.rounded_rectangle([20 * u, 20 * u, pw - 20 * u, ph - 20 * u], radius=14 * u, outline=rgba(WHITE), width=int(8 * u))
    pl.text("TOILETTES", pw * 0.43, ph * 0.5, 92 * u, "DejaVuSerif-Bold.ttf", WHITE, tracking=0.04, maxw=pw * 0.66)
    pl.arrow(pw * 0.86, ph * 0.5, 80 * u, 18 * u, WHITE, "right")
    img, m = pl.finish(rng, bevel=0.3, gloss=0.16, chips=6)
    box = place(scene, img, m, cv.x(0.5), cv.y(0.45), depth=int(5 * u), shadow_blur=10 * u, shadow_opacity=0.45)
    for sx in (box[0] + 40 * u, box[2] - 40 * u):
        screw(scene, (sx, (box[1] + box[3]) / 2), 9 * u, (190, 190, 195), rng)
    scene = lighting(scene, rng, (0.6, 0.2), 0.8, tint=(1.0, 0.95, 0.85))
    return camera(scene, cv.M, size, rng, tilt=-0.8, keystone=0.4)


def draw_edinburgh(rng, size):
    cv = Canvas(size)
    u = cv.u
    green = (26, 64, 44)
    scene = bg_painted_door(rng, cv.size, green, (205, 196, 178), cv.box(0.1, -0.3, 0.9, 1.3), panels=2, handle=None)
    pw, ph = int(820 * u), int(220 * u)
    brass = mat_brushed(rng, (pw, ph), (196, 160, 80), 0.09)
    pl = Plate(brass, 10 * u)
    pl.d.rectangle([16 * u, 16 * u, pw - 16 * u, ph - 16 * u], outline=rgba((90, 66, 24)), width=int(4 * u))
    pl.text("GENTLEMEN", pw * 0.5, ph * 0.5, 104 * u, "DejaVuSerif.ttf", (52, 36, 12), tracking=0.10, engrave=(250, 226, 160),
            maxw=pw * 0.84)
    img, m = pl.finish(rng, bevel=0.45, gloss=0.18)
    box = place(scene, img, m, cv.x(0.5), cv.y(0.3), depth=int(4 * u), shadow_blur=8 * u, shadow_opacity=0.6)
    for sx in (box[0] + 30 * u, box[2] - 30 * u):
        screw(scene, (sx, (box[1] + box[3]) / 2), 9 * u, (196, 160, 80), rng)
    scene = lighting(scene, rng, (0.4, 0.2), 0.9, tint=(1.0, 0.9, 0.75))
    return camera(scene, cv.M, size, rng, tilt=1.4, keystone=0.2)


def draw_haneda(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_panels(rng, cv.size, (214, 214, 210), 420 * u)
    dark = (44, 46, 50)
    pw, ph = int(1150 * u), int(330 * u)
    pl = Plate(mat_solid(rng, (pw, ph), dark, 0.04, 0.01), 12 * u)
    pl.text("Toilets", 170 * u, ph * 0.40, 70 * u, "DejaVuSans-Bold.ttf", WHITE)
    pl.arrow(170 * u, ph * 0.70, 110 * u, 22 * u, (255, 204, 0), "left")
    tiles = [("man", (0, 90, 190), WHITE), ("woman", (214, 36, 44), WHITE),
             ("wheelchair", WHITE, (0, 90, 190)), ("baby", (40, 40, 44), WHITE)]
    for k, (kind, col, bg) in enumerate(tiles):
        tx = 380 * u + k * 192 * u
        pl.d.rounded_rectangle([tx, 60 * u, tx + 170 * u, 270 * u], radius=14 * u, fill=rgba(bg))
        pl.icon(kind, tx + 85 * u - (10 * u if kind == "wheelchair" else 0),
                82 * u + (20 * u if kind == "baby" else 0), 168 * u if kind != "baby" else 135 * u, col)
    img, m = pl.finish(rng, bevel=0.2, gloss=0.06)
    place(scene, img, m, cv.x(0.5), cv.y(0.38), depth=int(14 * u), shadow_blur=24 * u, shadow_opacity=0.35, edge=(90, 92, 96))
    scene = lighting(scene, rng, (0.5, 0.1), 0.35, tint=(0.97, 0.99, 1.0))
    return camera(scene, cv.M, size, rng, tilt=-0.5, keystone=0.5)


def draw_sao_paulo(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_mural(rng, cv.size)
    pw, ph = int(700 * u), int(560 * u)
    pl = Plate(mat_wood(rng, (pw, ph), (120, 78, 40), (178, 128, 74)), 30 * u)
    pl.d.rounded_rectangle([24 * u, 24 * u, pw - 24 * u, ph - 24 * u], radius=22 * u, fill=rgba((250, 214, 60)))
    pl.icon("woman", pw * 0.30, 70 * u, 300 * u, (214, 40, 110))
    pl.icon("man", pw * 0.70, 70 * u, 300 * u, (0, 120, 110))
    pl.text("BANHEIRO", pw / 2, ph - 100 * u, 92 * u, "DejaVuSansCondensed-BoldOblique.ttf", (30, 30, 40), wobble=(rng, 6))
    img, m = pl.finish(rng, bevel=0.3, gloss=0.05, grain=0.03)
    place(scene, img, m, cv.x(0.5), cv.y(0.45), depth=int(12 * u), shadow_blur=16 * u, shadow_opacity=0.5, edge=(80, 50, 24))
    scene = lighting(scene, rng, (0.5, 0.4), 0.5, tint=(1.0, 0.97, 0.9))
    return camera(scene, cv.M, size, rng, tilt=2.2, keystone=0.35)


def draw_zurich(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_concrete(rng, cv.size, (160, 158, 152), (600 * u, 300 * u))
    pw, ph = int(380 * u), int(250 * u)
    pl = Plate(mat_solid(rng, (pw, ph), BLACK, 0.05, 0.01), 8 * u)
    pl.text("WC", pw * 0.5, ph * 0.44, 150 * u, "DejaVuSans-Bold.ttf", WHITE)
    pl.arrow(pw * 0.5, ph * 0.82, 90 * u, 12 * u, WHITE, "right")
    img, m = pl.finish(rng, bevel=0.15, gloss=0.05)
    place(scene, img, m, cv.x(0.5), cv.y(0.33), depth=int(5 * u), shadow_blur=10 * u, shadow_opacity=0.45)
    scene = lighting(scene, rng, (0.5, 0.15), 0.6, tint=(0.95, 0.98, 1.0))
    return camera(scene, cv.M, size, rng, tilt=-0.6, keystone=0.2)


def draw_sydney(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_tiles(rng, cv.size, 100 * u, 100 * u, (212, 216, 214), (160, 164, 162), bevel=False)
    blue = (0, 84, 150)
    pw, ph = int(620 * u), int(860 * u)
    pl = Plate(mat_solid(rng, (pw, ph), blue, 0.06, 0.01), 30 * u)
    pl.icon("baby", pw * 0.5, 90 * u, 380 * u, WHITE)
    pl.text("PARENTS", pw / 2, 580 * u, 92 * u, "DejaVuSans-Bold.ttf", WHITE, tracking=0.05)
    pl.text("ROOM", pw / 2, 690 * u, 92 * u, "DejaVuSans-Bold.ttf", WHITE, tracking=0.05)
    img, m = pl.finish(rng, bevel=0.25, gloss=0.12)
    place(scene, img, m, cv.x(0.5), cv.y(0.42), depth=int(8 * u), shadow_blur=16 * u, shadow_opacity=0.4, edge=(0, 40, 80))
    scene = lighting(scene, rng, (0.5, 0.3), 0.4)
    return camera(scene, cv.M, size, rng, tilt=1.0, keystone=0.25)


def draw_san_francisco(rng, size):
    cv = Canvas(size)
    u = cv.u
    teal = (30, 128, 128)
    scene = bg_painted_door(rng, cv.size, teal, (232, 222, 205), cv.box(0.12, -0.3, 0.88, 1.3), panels=0, handle="left",
                            handle_y=0.72)
    pw, ph = int(560 * u), int(640 * u)
    pl = Plate(mat_solid(rng, (pw, ph), WHITE, 0.04, 0.01), 24 * u)
    pl.icon("half", pw * 0.36, 50 * u, 330 * u, BLACK)
    pl.icon("wheelchair", pw * 0.70, 95 * u, 270 * u, BLACK)
    pl.text("ALL GENDER", pw / 2, 440 * u, 66 * u, "DejaVuSans-Bold.ttf", BLACK, tracking=0.04)
    pl.text("RESTROOM", pw / 2, 518 * u, 66 * u, "DejaVuSans-Bold.ttf", BLACK, tracking=0.04)
    braille(pl, "restroom", pw / 2, 588 * u, 6.5 * u, (60, 60, 60))
    img, m = pl.finish(rng, bevel=0.2, gloss=0.08)
    place(scene, img, m, cv.x(0.5), cv.y(0.40), depth=int(6 * u), shadow_blur=12 * u, shadow_opacity=0.4, edge=(150, 150, 150))
    scene = lighting(scene, rng, (0.7, 0.2), 0.6, tint=(1.0, 0.98, 0.93), side=-0.1)
    return camera(scene, cv.M, size, rng, tilt=-1.6, keystone=0.3)


BRAILLE = {"a": "1", "b": "12", "c": "14", "d": "145", "e": "15", "f": "124", "g": "1245", "h": "125",
           "i": "24", "j": "245", "k": "13", "l": "123", "m": "134", "n": "1345", "o": "135", "p": "1234",
           "q": "12345", "r": "1235", "s": "234", "t": "2345", "u": "136", "v": "1236", "w": "2456",
           "x": "1346", "y": "13456", "z": "1356", " ": ""}


def braille(pl, word, cx, cy, r, color):
    """Raised dots spelling word in uncontracted braille, centred at (cx, cy)."""
    cell = r * 8.0
    x = cx - cell * len(word) / 2 + r * 2.3
    for ch in word:
        for dot in BRAILLE[ch]:
            k = int(dot)
            dx = 0 if k <= 3 else r * 3.3
            dy = ((k - 1) % 3 - 1) * r * 3.3
            circle(pl.d, (x + dx + r * 0.3, cy + dy + r * 0.3), r, rgba((0, 0, 0), 90))
            circle(pl.d, (x + dx, cy + dy), r, rgba(color))
            circle(pl.d, (x + dx - r * 0.3, cy + dy - r * 0.3), r * 0.45, rgba(shade(color, 1.6)))
        x += cell


def draw_nairobi(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_plaster(rng, cv.size, (226, 212, 186))
    d = ImageDraw.Draw(scene)
    d.rectangle([0, cv.y(0.86), cv.size[0], cv.size[1]], fill=(120, 84, 52))
    d.rectangle([0, cv.y(0.86) - 8 * u, cv.size[0], cv.y(0.86)], fill=(80, 54, 30))
    pw, ph = int(560 * u), int(900 * u)
    pl = Plate(mat_brushed(rng, (pw, ph), (196, 198, 200), 0.08), 16 * u)
    pl.icon("woman", pw / 2, 90 * u, 470 * u, (150, 30, 60))
    pl.text("LADIES", pw / 2, 650 * u, 96 * u, "DejaVuSans-Bold.ttf", (30, 30, 34), tracking=0.08)
    pl.text("WANAWAKE", pw / 2, 770 * u, 66 * u, "DejaVuSans.ttf", (60, 60, 64), tracking=0.08)
    img, m = pl.finish(rng, bevel=0.4, gloss=0.12)
    box = place(scene, img, m, cv.x(0.5), cv.y(0.43), depth=int(4 * u), shadow_blur=10 * u, shadow_opacity=0.45)
    for sx in (box[0] + 34 * u, box[2] - 34 * u):
        for sy in (box[1] + 34 * u, box[3] - 34 * u):
            screw(scene, (sx, sy), 10 * u, (170, 170, 174), rng)
    scene = lighting(scene, rng, (0.4, 0.3), 0.5, tint=(1.0, 0.97, 0.9))
    return camera(scene, cv.M, size, rng, tilt=0.9, keystone=0.2)


def draw_austin(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_brick(rng, cv.size, (236, 234, 226), (212, 208, 198), 230 * u, 80 * u, jitter=0.03)
    pw, ph = int(1060 * u), int(640 * u)
    pl = Plate(mat_wood(rng, (pw, ph), (70, 44, 26), (122, 82, 46)), 20 * u)
    chalk = (244, 236, 214)
    pl.text("WHATEVER.", pw / 2, 100 * u, 112 * u, "DejaVuSansCondensed-BoldOblique.ttf", chalk, tracking=0.02, wobble=(rng, 5))
    for k, kind in enumerate(("woman", "man", "robot")):
        pl.icon(kind, pw * (0.28 + 0.22 * k), 185 * u, 260 * u, chalk)
    pl.text("JUST WASH YOUR HANDS", pw / 2, ph - 75 * u, 70 * u, "DejaVuSansCondensed-Bold.ttf", (250, 200, 80), wobble=(rng, 4))
    img, m = pl.finish(rng, bevel=0.25, gloss=0.03, grain=0.03)
    place(scene, img, m, cv.x(0.5), cv.y(0.45), depth=int(12 * u), shadow_blur=20 * u, shadow_opacity=0.5, edge=(40, 26, 14))
    scene = lighting(scene, rng, (0.55, 0.35), 0.7, tint=(1.0, 0.92, 0.8))
    return camera(scene, cv.M, size, rng, tilt=-2.0, keystone=0.3)


def draw_reykjavik(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = Image.new("RGB", cv.size, (46, 48, 52))
    scene = texture(scene, rng, 0.12, 8)
    scene = texture(scene, rng, 0.06, 90)
    d = ImageDraw.Draw(scene)
    for y in range(0, cv.size[1], int(170 * u)):
        d.line([(0, y), (cv.size[0], y)], fill=(32, 33, 36), width=int(5 * u))
    pw, ph = int(700 * u), int(480 * u)
    pl = Plate(mat_brushed(rng, (pw, ph), (58, 60, 64), 0.05), 6 * u)
    light = (236, 236, 232)
    pl.icon("woman", pw * 0.33, 50 * u, 280 * u, light, outline=0.018)
    pl.icon("man", pw * 0.67, 50 * u, 280 * u, light, outline=0.018)
    pl.d.line([(pw * 0.5, 70 * u), (pw * 0.5, 320 * u)], fill=rgba(light), width=int(3 * u))
    pl.text("Snyrting", pw / 2, 400 * u, 62 * u, "DejaVuSans-ExtraLight.ttf", light, tracking=0.18)
    img, m = pl.finish(rng, bevel=0.12, gloss=0.05)
    place(scene, img, m, cv.x(0.5), cv.y(0.42), depth=int(4 * u), shadow_blur=14 * u, shadow_opacity=0.5)
    scene = lighting(scene, rng, (0.5, 0.0), 0.7, tint=(0.96, 0.98, 1.0))
    return camera(scene, cv.M, size, rng, tilt=0.4, keystone=0.15)


def draw_berlin_gallery(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_plaster(rng, cv.size, (238, 236, 230))
    pw, ph = int(700 * u), int(520 * u)
    pl = Plate(mat_solid(rng, (pw, ph), (242, 238, 226), 0.03, 0.01), 4 * u)
    red, yellow, blue, black = (210, 40, 36), (246, 196, 30), (24, 68, 150), BLACK
    d = pl.d
    # "her": a circle on a triangle; "him": a circle on a square; a black bar between
    circle(d, (pw * 0.27, 130 * u), 62 * u, rgba(yellow))
    d.polygon([(pw * 0.27, 205 * u), (pw * 0.27 - 120 * u, 430 * u), (pw * 0.27 + 120 * u, 430 * u)], fill=rgba(red))
    circle(d, (pw * 0.73, 130 * u), 62 * u, rgba(yellow))
    d.rectangle([pw * 0.73 - 105 * u, 215 * u, pw * 0.73 + 105 * u, 430 * u], fill=rgba(blue))
    d.rectangle([pw * 0.5 - 9 * u, 60 * u, pw * 0.5 + 9 * u, 460 * u], fill=rgba(black))
    d.rectangle([40 * u, 470 * u, pw - 40 * u, 482 * u], fill=rgba(black))
    img, m = pl.finish(rng, bevel=0.1, gloss=0.04)
    place(scene, img, m, cv.x(0.5), cv.y(0.42), depth=int(16 * u), shadow_blur=22 * u, shadow_opacity=0.3, edge=(200, 196, 186))
    scene = lighting(scene, rng, (0.45, 0.25), 0.55)
    return camera(scene, cv.M, size, rng, tilt=-0.7, keystone=0.2)


def draw_london(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_plaster(rng, cv.size, (206, 214, 208))
    d = ImageDraw.Draw(scene)
    d.rectangle([0, cv.y(0.72), cv.size[0], cv.size[1]], fill=(180, 190, 184))
    d.rectangle([0, cv.y(0.72) - 12 * u, cv.size[0], cv.y(0.72) + 10 * u], fill=(236, 236, 230))
    pw, ph = int(760 * u), int(420 * u)
    pl = Plate(mat_solid(rng, (pw, ph), WHITE, 0.03, 0.01), 20 * u)
    isa = (0, 82, 160)
    pl.d.rounded_rectangle([40 * u, 40 * u, 300 * u, 300 * u], radius=16 * u, fill=rgba(isa))
    pl.icon("wheelchair", 168 * u, 62 * u, 220 * u, WHITE)
    pl.text("Accessible", 530 * u, 130 * u, 70 * u, "DejaVuSans-Bold.ttf", (30, 30, 34))
    pl.text("toilet", 530 * u, 220 * u, 70 * u, "DejaVuSans-Bold.ttf", (30, 30, 34))
    braille(pl, "toilet", pw / 2, 355 * u, 7 * u, (70, 70, 74))
    img, m = pl.finish(rng, bevel=0.2, gloss=0.1)
    place(scene, img, m, cv.x(0.5), cv.y(0.38), depth=int(6 * u), shadow_blur=12 * u, shadow_opacity=0.4, edge=(160, 160, 160))
    scene = lighting(scene, rng, (0.5, 0.2), 0.5)
    return camera(scene, cv.M, size, rng, tilt=0.8, keystone=0.35)


def draw_munich(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_panels(rng, cv.size, (190, 192, 196), 500 * u)
    navy = (20, 34, 70)
    pw, ph = int(1100 * u), int(300 * u)
    pl = Plate(mat_solid(rng, (pw, ph), navy, 0.04, 0.01), 10 * u)
    for k, kind in enumerate(("man", "woman", "wheelchair", "baby")):
        hh = 200 * u if kind != "baby" else 150 * u
        pl.icon(kind, 140 * u + k * 185 * u + (20 * u if kind == "baby" else 0), 50 * u + (200 * u - hh) * 0.5, hh, WHITE)
    pl.arrow(pw - 140 * u, ph / 2, 130 * u, 28 * u, (255, 214, 0), "up")
    pl.d.rectangle([pw - 270 * u, 50 * u, pw - 264 * u, ph - 50 * u], fill=rgba((120, 130, 160)))
    img, m = pl.finish(rng, bevel=0.2, gloss=0.07)
    place(scene, img, m, cv.x(0.5), cv.y(0.32), depth=int(18 * u), shadow_blur=26 * u, shadow_opacity=0.35, edge=(70, 72, 76))
    scene = lighting(scene, rng, (0.5, 0.0), 0.4, tint=(0.97, 0.99, 1.0))
    return camera(scene, cv.M, size, rng, tilt=1.1, keystone=0.45)


def draw_shinjuku(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_wood_wall(rng, cv.size, (58, 34, 20), (104, 66, 38), 260 * u)
    pw, ph = int(560 * u), int(700 * u)
    paper = mat_solid(rng, (pw, ph), (238, 228, 204), 0.03, 0.01)
    paper = texture(paper, rng, 0.05, (2, 14))
    pl = Plate(paper, 2 * u)
    ink = (28, 24, 22)
    pl.icon("urgent", pw / 2, 60 * u, 400 * u, ink)
    pl.text("WC", pw * 0.40, 570 * u, 110 * u, "DejaVuSerif-Bold.ttf", ink)
    pl.arrow(pw * 0.68, 574 * u, 100 * u, 16 * u, (180, 30, 30), "right")
    img, m = pl.finish(rng, bevel=0.0, gloss=0.0, grain=0.02)
    frame = Image.new("RGB", (pw + int(40 * u), ph + int(40 * u)), (30, 18, 10))
    frame = texture(frame, rng, 0.1, (3, 20))
    fm = rounded_mask(frame.size, 4 * u)
    place(scene, frame, fm, cv.x(0.5), cv.y(0.44), depth=int(8 * u), shadow_blur=16 * u, shadow_opacity=0.6)
    scene.paste(img, (int(cv.x(0.5) - pw / 2), int(cv.y(0.44) - ph / 2)), m)
    scene = lighting(scene, rng, (0.5, 0.35), 0.9, tint=(1.0, 0.88, 0.7))
    return camera(scene, cv.M, size, rng, tilt=-2.4, keystone=0.3)


def draw_wellington(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_boards(rng, cv.size, (226, 228, 224), 120 * u)
    green = (24, 86, 60)
    pw, ph = int(720 * u), int(420 * u)
    pl = Plate(mat_solid(rng, (pw, ph), green, 0.05, 0.01), 22 * u)
    pl.icon("man", pw * 0.30, 40 * u, 250 * u, (250, 214, 60))
    pl.icon("woman", pw * 0.70, 40 * u, 250 * u, (250, 214, 60))
    pl.text("Toilets", pw / 2, ph - 70 * u, 76 * u, "DejaVuSans-Bold.ttf", WHITE)
    img, m = pl.finish(rng, bevel=0.3, gloss=0.1)
    box = place(scene, img, m, cv.x(0.5), cv.y(0.4), depth=int(8 * u), shadow_blur=10 * u, shadow_opacity=0.5, edge=(14, 50, 34))
    for sx in (box[0] + 30 * u, box[2] - 30 * u):
        screw(scene, (sx, (box[1] + box[3]) / 2), 10 * u, (180, 180, 184), rng)
    scene = lighting(scene, rng, (0.3, 0.2), 0.45, tint=(1.0, 1.0, 0.98))
    return camera(scene, cv.M, size, rng, tilt=1.7, keystone=0.25)


def draw_lisbon(rng, size):
    cv = Canvas(size)
    u = cv.u
    scene = bg_plaster(rng, cv.size, (236, 190, 72))
    tw = int(480 * u)
    tile = mat_solid(rng, (tw, tw), (246, 244, 236), 0.03, 0.01)
    pl = Plate(tile, 6 * u)
    cobalt = (28, 60, 150)
    d = pl.d
    d.rectangle([26 * u, 26 * u, tw - 26 * u, tw - 26 * u], outline=rgba(cobalt), width=int(10 * u))
    for k in range(4):
        cx = (60 if k % 2 == 0 else tw / u - 60) * u
        cy = (60 if k < 2 else tw / u - 60) * u
        for a in range(4):
            ang = a * math.pi / 2 + math.pi / 4
            circle(d, (cx + math.cos(ang) * 16 * u, cy + math.sin(ang) * 16 * u), 12 * u, rgba(cobalt))
        circle(d, (cx, cy), 8 * u, rgba((230, 170, 40)))
    pl.text("WC", tw / 2, tw * 0.46, 190 * u, "DejaVuSerif-BoldItalic.ttf", cobalt)
    d.arc([tw * 0.28, tw * 0.58, tw * 0.72, tw * 0.80], start=20, end=160, fill=rgba(cobalt), width=int(8 * u))
    img, m = pl.finish(rng, bevel=0.25, gloss=0.2, grain=0.01)
    place(scene, img, m, cv.x(0.5), cv.y(0.42), depth=int(6 * u), shadow_blur=10 * u, shadow_opacity=0.4, edge=(200, 196, 186))
    scene = lighting(scene, rng, (0.7, 0.2), 0.6, tint=(1.0, 0.97, 0.9))
    return camera(scene, cv.M, size, rng, tilt=1.2, keystone=0.25)


# --------------------------------------------------------------------------
# the sample archive: the photos, their EXIF and their sidecars

LANDSCAPE, PORTRAIT = (1600, 1200), (1200, 1600)

SIGNS = [
    dict(
        path="2017/mississauga-square-one.jpg", draw=draw_mississauga, size=LANDSCAPE,
        exif=dict(make="Apple", model="iPhone 7", taken="2017:06:03 14:22:09", offset="-04:00",
                  gps=(43.5931, -79.6424)),
        sidecar=dict(
            title="All-gender washroom, Square One",
            alt="A red sign plate with three white pictograms, a figure in a dress, a figure in trousers "
                "and a wheelchair user, above the word WASHROOM",
            caption="A single washroom for *everyone*: the same door for women, men and wheelchair users. "
                    "Spotted at the Square One mall.",
            place="Square One Shopping Centre", city="Mississauga", country="CA",
            location=(43.5931, -79.6424), date="2017-06-03",
            tags=["pictogram", "accessible", "gender-neutral"], credit="@toiletglyphprj",
            slug="square-one-washroom")),
    dict(
        path="2017/berlin-kreuzberg-cafe.jpg", draw=draw_berlin_kreuzberg, size=LANDSCAPE,
        exif=dict(make="samsung", model="SM-G930F", taken="2017:09:16 21:47:30", offset=None,
                  gps=(52.5012, 13.4185)),
        sidecar=dict(
            alt="A long, rounded cream enamel plate on a wooden door reading DAMEN and HERREN in black serif "
                "capitals, separated by a thin line; the enamel is chipped at the edges",
            caption="No pictograms at all, just two words and a line between them. The chips in the "
                    "enamel suggest this plate has seen *a lot* of doors open and close.",
            place="A café in Kreuzberg", city="Berlin", country="Germany",
            tags=["text-only", "vintage"])),
    dict(
        path="2018/paris-gare-du-nord-brasserie.jpg", draw=draw_paris, size=LANDSCAPE,
        exif=dict(make="Google", model="Pixel 2", taken="2018:04:21 00:41:12", offset="+02:00",
                  gps=(48.8801, 2.3549)),
        sidecar=dict(
            title="Toilettes, Gare du Nord",
            alt="A dark blue enamel plate with a thin white border, the word TOILETTES in white serif "
                "capitals and a white arrow pointing right, on white brick-pattern wall tiles",
            caption="Blue and white enamel, the classic Paris look. Taken just after midnight, so it is "
                    "filed under the evening before.",
            place="A brasserie near the Gare du Nord", city="Paris", country="FR",
            date="2018-04-20", tags=["text-only", "vintage"])),
    dict(
        path="2018/edinburgh-grassmarket-pub.jpg", draw=draw_edinburgh, size=LANDSCAPE,
        exif=dict(make="FUJIFILM", model="X100F", taken="2018:08:11 17:05:44", offset=None, gps=None),
        sidecar=dict(
            alt="A brushed brass plate engraved GENTLEMEN in dark serif capitals, screwed to a dark "
                "green panelled door",
            caption="Engraved brass on a green door. This camera has no GPS, so the location was "
                    "added by hand.",
            place="A pub on the Grassmarket", city="Edinburgh", country="GB",
            location=(55.9475, -3.1955), tags=["text-only", "vintage"])),
    dict(
        path="2019/tokyo-haneda-terminal-3.jpg", draw=draw_haneda, size=LANDSCAPE,
        exif=dict(make="Apple", model="iPhone XS", taken="2019:03:28 07:12:55", offset="+09:00",
                  gps=(35.5443, 139.7684)),
        sidecar=dict(
            title="Haneda, Terminal 3",
            alt="A long charcoal airport sign: the word Toilets with a yellow arrow pointing left, then "
                "four square pictograms, a blue man, a red woman, a wheelchair user and a parent "
                "changing a baby",
            caption="Airport signs have to work for people who read none of the local scripts, so "
                    "they lean on [pictograms](https://en.wikipedia.org/wiki/Pictogram). Four of "
                    "them, and everyone knows where to go.",
            place="Terminal 3, Haneda Airport", city="Tokyo", country="JP",
            tags=["pictogram", "accessible", "family"], credit="@toiletglyphprj")),
    dict(
        path="2019/sao-paulo-vila-madalena-mural.jpg", draw=draw_sao_paulo, size=LANDSCAPE,
        exif=dict(make="motorola", model="moto g(7) plus", taken="2019:07:06 11:30:02", offset="-03:00",
                  gps=(-23.5566, -46.6857)),
        sidecar=dict(
            alt="A wooden sign with a yellow painted face on a wall covered in a colourful mural: a "
                "pink figure in a dress, a green figure in trousers and the word BANHEIRO in "
                "hand-painted black letters",
            caption="The sign is part of the mural around it. *Banheiro* is Portuguese for bathroom.",
            place="A bar in Vila Madalena", city="São Paulo", country="BR", tags=["art"])),
    dict(
        path="2019/zurich-hauptbahnhof.jpg", draw=draw_zurich, size=PORTRAIT,
        exif=dict(make="Apple", model="iPhone XS", taken="2019:12:14 08:03:17", offset="+01:00",
                  gps=(47.3779, 8.5403)),
        sidecar=dict(
            alt="A small black plate with the letters WC in white and a thin white arrow pointing "
                "right, on a bare concrete wall with tie holes",
            caption="Two letters and an arrow on bare concrete. Nothing else needed.",
            place="Underground passage, Zürich Hauptbahnhof", city="Zürich", country="CH",
            tags=["minimalist", "text-only"])),
    dict(
        path="2021/sydney-circular-quay.jpg", draw=draw_sydney, size=PORTRAIT, orientation=6,
        exif=dict(make="Apple", model="iPhone 12", taken="2021:01:23 15:19:40", offset="+11:00",
                  gps=(-33.8613, 151.2110)),
        sidecar=dict(
            alt="A tall blue sign on grey wall tiles: a white pictogram of an adult changing a baby "
                "on a changing table, above the words PARENTS ROOM",
            caption="A *parents room* rather than a mothers' room: the pictogram shows an adult, "
                    "not a woman.",
            place="Ferry wharf, Circular Quay", city="Sydney", country="AU",
            tags=["family", "pictogram"], credit="@toiletglyphprj")),
    dict(
        path="2021/san-francisco-mission-coffee.jpg", draw=draw_san_francisco, size=LANDSCAPE,
        exif=dict(make="Google", model="Pixel 5", taken="2021:10:02 10:48:26", offset="-07:00",
                  gps=(37.7599, -122.4214)),
        sidecar=dict(
            alt="A white plate on a teal door: a black figure that is half in a dress and half in "
                "trousers next to a wheelchair symbol, the words ALL GENDER RESTROOM and a line of "
                "braille",
            caption="The half-and-half figure is one of the most common [all-gender]"
                    "(https://en.wikipedia.org/wiki/Unisex_public_toilet) designs.",
            place="A coffee shop in the Mission District", city="San Francisco", country="US",
            tags=["gender-neutral", "pictogram", "accessible"])),
    dict(
        path="2022/nairobi-jkia-terminal-1a.jpg", draw=draw_nairobi, size=PORTRAIT,
        exif=dict(make="samsung", model="SM-G991B", taken="2022:02:18 05:56:03", offset="+03:00",
                  gps=(-1.3192, 36.9278)),
        sidecar=dict(
            alt="A brushed steel plate with a maroon pictogram of a figure in a dress above the words "
                "LADIES and WANAWAKE",
            caption="English and Swahili on the same plate: *wanawake* means women.",
            place="Terminal 1A, Jomo Kenyatta International Airport", city="Nairobi", country="KE",
            tags=["pictogram"])),
    dict(
        path="2022/austin-south-congress-taco-bar.jpg", draw=draw_austin, size=LANDSCAPE,
        exif=dict(make="Apple", model="iPhone 13 mini", taken="2022:03:12 19:24:51", offset="-06:00",
                  gps=(30.2500, -97.7497)),
        sidecar=dict(
            title="Whatever. Just wash your hands",
            alt="A dark wooden sign on a white brick wall with hand-lettered WHATEVER. above three "
                "chalk-white figures, a woman, a man and a robot, and JUST WASH YOUR HANDS in yellow",
            caption="The robot is welcome too. A joke with a point: the only rule that matters is "
                    "**wash your hands**.",
            place="A taco bar on South Congress Avenue", city="Austin", country="US",
            tags=["humorous", "gender-neutral"], credit="@toiletglyphprj")),
    dict(
        path="2023/reykjavik-harbour-concert-hall.jpg", draw=draw_reykjavik, size=LANDSCAPE,
        exif=dict(make="Apple", model="iPhone 14 Pro", taken="2023:02:09 16:40:00", offset="+00:00",
                  gps=(64.1504, -21.9325)),
        sidecar=dict(
            alt="A dark grey plate on a dark wall with two thin white outline figures, one in a "
                "dress and one in trousers, divided by a line, above the word Snyrting",
            caption="Outline figures and a single word, *snyrting*, Icelandic for toilet.",
            place="Concert hall on the harbour", city="Reykjavík", country="IS",
            tags=["minimalist", "pictogram"])),
    dict(
        path="2023/berlin-tiergarten-gallery.jpg", draw=draw_berlin_gallery, size=LANDSCAPE,
        exif=dict(make="Apple", model="iPhone 14 Pro", taken="2023:05:20 13:02:38", offset="+02:00",
                  gps=(52.5063, 13.3564)),
        sidecar=dict(
            alt="An off-white plate with two figures built from basic shapes: a yellow circle on a "
                "red triangle and a yellow circle on a blue square, separated by a black bar",
            caption="Circle, triangle, square: a sign in the spirit of the "
                    "[Bauhaus](https://en.wikipedia.org/wiki/Bauhaus).",
            place="A design gallery in Tiergarten", city="Berlin", country="DE",
            tags=["art", "minimalist"], credit="@toiletglyphprj")),
    dict(
        path="2023/london-south-kensington-museum.jpg", draw=draw_london, size=LANDSCAPE,
        exif=dict(make="Google", model="Pixel 7", taken="2023:06:24 12:15:09", offset="+01:00",
                  gps=(51.4966, -0.1722)),
        sidecar=dict(
            alt="A white plate with a white wheelchair symbol on a blue square, the words Accessible "
                "toilet, and a line of raised braille dots",
            caption="The [International Symbol of Access]"
                    "(https://en.wikipedia.org/wiki/International_Symbol_of_Access) with the words "
                    "spelled out in braille underneath.",
            place="A museum café in South Kensington", city="London", country="GB",
            tags=["accessible", "pictogram"])),
    dict(
        path="2023/summer-trip/munich-airport-terminal-2.jpg", draw=draw_munich, size=LANDSCAPE,
        exif=dict(make="Apple", model="iPhone 14 Pro", taken="2023:07:29 06:31:22", offset="+02:00",
                  gps=(48.3537, 11.7850)),
        sidecar=dict(
            alt="A navy airport sign with white pictograms of a man, a woman, a wheelchair user and "
                "a baby-changing table, and a yellow arrow pointing up",
            caption="Caption to come.",
            place="Terminal 2, Munich Airport", city="Munich", country="DE",
            tags=["pictogram", "accessible", "family"], draft=True)),
    dict(
        path="2023/summer-trip/tokyo-shinjuku-izakaya.jpg", draw=draw_shinjuku, size=PORTRAIT,
        exif=dict(make="Apple", model="iPhone 14 Pro", taken="2023:08:05 22:17:45", offset="+09:00",
                  gps=(35.6933, 139.6995)),
        sidecar=dict(
            title="In a hurry",
            alt="A paper sign in a dark wooden frame: a black figure with crossed legs and hands "
                "clasped low, motion lines and drops of sweat around it, above WC and a red arrow "
                "pointing right",
            caption="No words needed to say *hurry*. The crossed legs say it in every language.",
            place="An izakaya in Shinjuku", city="Tokyo", country="JP",
            tags=["humorous", "pictogram"], credit="@toiletglyphprj")),
    dict(
        path="2024/wellington-waterfront.jpg", draw=draw_wellington, size=LANDSCAPE,
        exif=dict(make="Apple", model="iPhone 15", taken="2024:03:02 09:41:27", offset="+13:00",
                  gps=(-41.2865, 174.7762)),
        sidecar=None),
    dict(
        path="lisbon-alfama-cafe.jpg", draw=draw_lisbon, size=LANDSCAPE,
        exif=dict(make="samsung", model="SM-S921B", taken="2024:05:18 18:09:33", offset="+01:00",
                  gps=(38.7114, -9.1300)),
        sidecar=None),
]

SIDECAR_KEYS = ["title", "alt", "caption", "place", "city", "country", "location", "date",
                "tags", "credit", "slug", "draft"]


# --------------------------------------------------------------------------
# EXIF


def dms(value: float):
    """Decimal degrees (4 places) -> exact (deg, min, sec) rationals; sec in hundredths."""
    hundredths = round(abs(value) * 360000)      # 0.0001 deg = 0.36 s: exact in hundredths
    deg, rest = divmod(hundredths, 360000)
    minutes, sec = divmod(rest, 6000)
    return (IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(sec, 100))


def make_exif(e, size, orientation):
    exif = Image.Exif()
    exif[0x010F] = e["make"]
    exif[0x0110] = e["model"]
    exif[0x0112] = orientation
    exif[0x0131] = "glyph sample generator"
    exif[0x0132] = e["taken"]                    # DateTime
    ex = exif.get_ifd(0x8769)
    ex[0x9003] = e["taken"]                      # DateTimeOriginal
    ex[0x9004] = e["taken"]                      # DateTimeDigitized
    if e["offset"]:
        ex[0x9010] = e["offset"]                 # OffsetTime
        ex[0x9011] = e["offset"]                 # OffsetTimeOriginal
    ex[0xA002] = size[0]                         # PixelXDimension (as stored)
    ex[0xA003] = size[1]
    if e["gps"]:
        lat, lon = e["gps"]
        gps = exif.get_ifd(0x8825)
        gps[0x0000] = b"\x02\x02\x00\x00"          # GPSVersionID 2.2.0.0
        gps[0x0001] = "N" if lat >= 0 else "S"
        gps[0x0002] = dms(lat)
        gps[0x0003] = "E" if lon >= 0 else "W"
        gps[0x0004] = dms(lon)
    return exif


# --------------------------------------------------------------------------
# sidecars (YAML written by hand so the script needs nothing but Pillow)

PLAIN = re.compile(r"^[A-Za-z0-9À-ž@][A-Za-z0-9À-ž .,'()@/-]*$")


def yaml_str(s: str) -> str:
    if PLAIN.match(s) and not s.endswith(" ") and ": " not in s and " #" not in s \
            and s.lower() not in ("yes", "no", "true", "false", "null", "on", "off", "y", "n", "~") \
            and not re.match(r"^[0-9.+-]", s) and not s.startswith("@"):
        return s
    return json.dumps(s, ensure_ascii=False)


def sidecar_text(sc: dict) -> str:
    unknown = set(sc) - set(SIDECAR_KEYS)
    assert not unknown, unknown
    out = []
    for key in SIDECAR_KEYS:
        if key not in sc:
            continue
        v = sc[key]
        if key == "caption":
            out.append("caption: |")
            out += ["  " + line for line in wrap(v, 90)]
        elif key == "location":
            out.append(f"location: {{ lat: {v[0]:.4f}, lon: {v[1]:.4f} }}")
        elif key == "date":
            out.append(f"date: {v}")
        elif key == "tags":
            out.append("tags: [" + ", ".join(v) + "]")
        elif key == "draft":
            out.append(f"draft: {'true' if v else 'false'}")
        else:
            out.append(f"{key}: {yaml_str(v)}")
    return "\n".join(out) + "\n"


def wrap(text: str, width: int):
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


# --------------------------------------------------------------------------


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parent.parent
    ap.add_argument("--out", type=Path, default=root / "photos", help="where to write (default: photos/)")
    ap.add_argument("--only", help="only the signs whose path contains this text")
    args = ap.parse_args(argv)
    for i, sign in enumerate(SIGNS):
        if args.only and args.only not in sign["path"]:
            continue
        rng = random.Random(f"{SEED}:{sign['path']}")
        img = sign["draw"](rng, sign["size"])
        assert img.size == sign["size"], (sign["path"], img.size)
        orientation = sign.get("orientation", 1)
        if orientation == 6:
            # stored as a phone held sideways stores it: rotating 90 degrees clockwise
            # (what Orientation=6 asks a viewer to do) makes it upright again
            img = img.transpose(Image.Transpose.ROTATE_90)
        elif orientation != 1:
            raise ValueError("only orientations 1 and 6 are drawn")
        path = args.out / sign["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        exif = make_exif(sign["exif"], img.size, orientation)
        img.save(path, "JPEG", quality=QUALITY, optimize=True, exif=exif)
        print(f"wrote {shown(path)} ({path.stat().st_size // 1024} KiB)")
        if sign["sidecar"] is not None:
            side = path.with_suffix(".yaml")
            side.write_text(sidecar_text(sign["sidecar"]), encoding="utf-8")
            print(f"wrote {shown(side)}")


if __name__ == "__main__":
    main()
