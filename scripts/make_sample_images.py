#!/usr/bin/env python3
"""Regenerate the images of the sample site and of the English test fixture.

The generated files are committed; run this only to regenerate them:

    python scripts/make_sample_images.py            # from the project root
    python scripts/make_sample_images.py --check    # regenerate into memory, compare

Needs Pillow and PyYAML, and the Noto CJK fonts (Debian/Ubuntu package
``fonts-noto-cjk``) for the Chinese text on the logo and the page picture.
Output is deterministic: fixed random seeds, fixed PDF dates, no timestamps.

What it writes (paths relative to the project root):

- static/logo.png                                 masthead logo
- content/<date>/<page>/images/*.jpg              abstract "photos"
- content/2026-11-27/01/images/page.png           the page picture (版面图)
- content/2026-11-27/01/images/page.pdf           the same page as a 1-page PDF
- tests/fixtures/english/content/2026-11-27/A1/images/riverfront.jpg

The page picture is drawn from the front matter of the articles of
content/2026-11-27/01: each article's headline is drawn at the top of its
first ``area`` box, so the clickable regions match the picture.
"""

import argparse
import io
import math
import random
import sys
import time
from pathlib import Path

try:
    import yaml
    from PIL import Image, ImageDraw, ImageFilter, ImageFont
except ImportError as exc:  # pragma: no cover
    sys.exit(f"make_sample_images: needs Pillow and PyYAML ({exc})")

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FILES = {
    "serif-bold": FONT_DIR / "NotoSerifCJK-Bold.ttc",
    "serif": FONT_DIR / "NotoSerifCJK-Regular.ttc",
    "sans-bold": FONT_DIR / "NotoSansCJK-Bold.ttc",
    "sans": FONT_DIR / "NotoSansCJK-Regular.ttc",
}
SC_INDEX = 2  # face index of the Simplified Chinese face in the Noto CJK .ttc files

PHOTO_SIZE = (640, 420)
JPEG_QUALITY = 70
PAGE_SIZE = (800, 1130)
PAPER = (250, 248, 242)
INK = (30, 30, 30)
RED = (190, 22, 34)
GREY_TEXT = (192, 192, 188)
PDF_DATE = time.strptime("2026-11-26 16:00:00", "%Y-%m-%d %H:%M:%S")

_font_cache = {}


def font(kind, size):
    path = FONT_FILES[kind]
    if not path.exists():
        sys.exit(
            f"make_sample_images: font not found: {path}\n"
            "Install the Noto CJK fonts first, e.g. `apt-get install fonts-noto-cjk`."
        )
    key = (kind, size)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(str(path), size, index=SC_INDEX)
    return _font_cache[key]


# --------------------------------------------------------------------------
# drawing helpers
# --------------------------------------------------------------------------

def lerp(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def vgradient(draw, box, top, bottom):
    x0, y0, x1, y1 = box
    h = max(1, y1 - y0)
    for i in range(h):
        draw.line([(x0, y0 + i), (x1, y0 + i)], fill=lerp(top, bottom, i / h))


def ridge(draw, rng, width, base, amp, color, bottom, waves=3):
    """A hill line made of a few sines, filled down to `bottom`."""
    phases = [rng.uniform(0, 2 * math.pi) for _ in range(waves)]
    freqs = [rng.uniform(0.5, 1.5) * (k + 1) for k in range(waves)]
    pts = []
    for x in range(0, width + 8, 8):
        y = base
        for k in range(waves):
            y -= amp / (k + 1) * math.sin(freqs[k] * x / width * 2 * math.pi + phases[k])
        pts.append((x, y))
    pts += [(width, bottom), (0, bottom)]
    draw.polygon(pts, fill=color)


def person(draw, x, y, scale, body, head=(70, 55, 45)):
    """A simple standing figure, feet at (x, y)."""
    s = scale
    draw.rounded_rectangle([x - 9 * s, y - 48 * s, x + 9 * s, y - 14 * s], radius=int(6 * s), fill=body)
    draw.rectangle([x - 7 * s, y - 16 * s, x - 2 * s, y], fill=(50, 50, 60))
    draw.rectangle([x + 2 * s, y - 16 * s, x + 7 * s, y], fill=(50, 50, 60))
    draw.ellipse([x - 7 * s, y - 64 * s, x + 7 * s, y - 50 * s], fill=head)


def new_photo(sky_top, sky_bottom):
    img = Image.new("RGB", PHOTO_SIZE, sky_bottom)
    d = ImageDraw.Draw(img)
    vgradient(d, (0, 0, PHOTO_SIZE[0], PHOTO_SIZE[1]), sky_top, sky_bottom)
    return img, d


def finish(img, blur=0.7):
    return img.filter(ImageFilter.GaussianBlur(blur))


# --------------------------------------------------------------------------
# the photos
# --------------------------------------------------------------------------

def photo_banlie(rng):
    """Freight train with containers leaving an inland port; gantry cranes."""
    W, H = PHOTO_SIZE
    img, d = new_photo((120, 160, 200), (215, 225, 232))
    ridge(d, rng, W, 205, 12, (150, 165, 170), H)
    d.rectangle([0, 215, W, H], fill=(150, 150, 145))
    for cx in (90, 330, 520):  # gantry cranes
        d.rectangle([cx, 70, cx + 8, 240], fill=(205, 120, 40))
        d.rectangle([cx + 90, 70, cx + 98, 240], fill=(205, 120, 40))
        d.rectangle([cx - 30, 62, cx + 130, 74], fill=(215, 130, 45))
        d.line([(cx + 40, 74), (cx + 40, 150)], fill=(60, 60, 60), width=2)
    colors = [(180, 40, 40), (40, 80, 150), (40, 120, 80), (210, 140, 40), (120, 120, 130)]
    for row in range(3):  # stacked containers in the yard
        for i in range(9):
            x = 10 + i * 70
            y = 200 - row * 22
            if rng.random() < 0.25 * row:
                continue
            d.rectangle([x, y, x + 64, y + 20], fill=rng.choice(colors), outline=(60, 60, 60))
    d.rectangle([0, 330, W, 338], fill=(90, 80, 70))  # track bed
    d.line([(0, 332), (W, 332)], fill=(60, 60, 60), width=2)
    for i in range(9):  # train: flat cars with containers
        x = -30 + i * 78
        d.rectangle([x, 300, x + 74, 322], fill=(50, 50, 55))
        d.rectangle([x + 2, 262, x + 72, 300], fill=rng.choice(colors), outline=(40, 40, 40))
        for k in range(7):
            d.line([(x + 10 + k * 9, 266), (x + 10 + k * 9, 296)], fill=(35, 35, 35))
        d.ellipse([x + 8, 318, x + 22, 332], fill=(30, 30, 30))
        d.ellipse([x + 52, 318, x + 66, 332], fill=(30, 30, 30))
    d.polygon([(600, 330), (600, 255), (640, 255), (640, 330)], fill=(30, 110, 70))  # locomotive
    return finish(img)


def photo_chayuan(rng):
    """Tea garden on terraced hills in the morning mist."""
    W, H = PHOTO_SIZE
    img, d = new_photo((200, 210, 215), (235, 238, 235))
    ridge(d, rng, W, 120, 30, (165, 185, 180), H)
    ridge(d, rng, W, 165, 25, (120, 155, 130), H)
    ridge(d, rng, W, 215, 20, (80, 125, 85), H)
    for i in range(16):  # curved rows of tea bushes
        y = 230 + i * 13 + i * i * 0.35
        amp = 18 + i * 1.5
        ph = i * 0.35
        pts = [(x, y + amp * math.sin(x / W * 3.2 + ph)) for x in range(-10, W + 20, 10)]
        d.line(pts, fill=(40, 95 + (i % 2) * 20, 50), width=int(6 + i * 0.8))
    for _ in range(3):  # a few figures in the rows
        person(d, rng.randint(80, 560), rng.randint(300, 360), 0.8, (60, 90, 150))
    return finish(img, 0.9)


def photo_chaye_zhibo(rng):
    """Livestream studio: shelf of tea boxes, table, phone on a tripod, ring light."""
    W, H = PHOTO_SIZE
    img, d = new_photo((225, 210, 185), (240, 228, 205))
    for row in range(3):  # shelves at the back
        y = 40 + row * 70
        d.rectangle([20, y + 52, 380, y + 58], fill=(130, 90, 60))
        x = 28
        while x < 370:
            w = rng.randint(24, 40)
            d.rectangle([x, y + 52 - rng.randint(30, 48), x + w, y + 52],
                        fill=rng.choice([(170, 40, 40), (60, 110, 70), (200, 170, 90), (90, 60, 40)]))
            x += w + 4
    d.rectangle([0, 280, W, H], fill=(120, 80, 50))  # table
    d.rectangle([0, 274, W, 282], fill=(95, 60, 38))
    for i, c in enumerate([(175, 35, 35), (50, 100, 60), (180, 140, 60)]):  # gift boxes
        d.rectangle([60 + i * 95, 215, 140 + i * 95, 285], fill=c, outline=(70, 40, 20))
        d.rectangle([80 + i * 95, 235, 120 + i * 95, 255], fill=(235, 225, 200))
    d.ellipse([455, 70, 595, 210], outline=(250, 250, 245), width=10)  # ring light
    d.rounded_rectangle([500, 105, 550, 185], radius=6, fill=(25, 25, 30))  # phone
    d.line([(525, 185), (525, 275)], fill=(40, 40, 40), width=4)  # tripod
    d.line([(525, 275), (490, 330)], fill=(40, 40, 40), width=3)
    d.line([(525, 275), (560, 330)], fill=(40, 40, 40), width=3)
    person(d, 430, 300, 2.0, (200, 60, 60))
    return finish(img)


def photo_shibing(rng):
    """Strings of persimmons drying on wooden frames under a blue sky."""
    W, H = PHOTO_SIZE
    img, d = new_photo((70, 130, 210), (170, 205, 235))
    ridge(d, rng, W, 250, 35, (120, 140, 95), H)
    d.rectangle([0, 340, W, H], fill=(150, 125, 95))
    for y in (40, 175):  # horizontal poles
        d.rectangle([0, y, W, y + 8], fill=(110, 75, 45))
        for x in range(12, W, 26):  # hanging strings of fruit
            length = rng.randint(5, 8)
            d.line([(x, y + 8), (x, y + 8 + length * 17)], fill=(120, 100, 70), width=1)
            for k in range(length):
                cy = y + 20 + k * 17
                r = rng.randint(7, 9)
                shade = rng.randint(-20, 15)
                d.ellipse([x - r, cy - r, x + r, cy + r], fill=(235 + min(shade, 20), 120 + shade, 30))
    for x in (30, 610):
        d.rectangle([x, 30, x + 10, 360], fill=(100, 70, 40))
    return finish(img, 0.6)


def photo_luoxiaomei(rng):
    """Two figures walking on a village path towards a white cottage."""
    W, H = PHOTO_SIZE
    img, d = new_photo((175, 195, 215), (225, 230, 230))
    ridge(d, rng, W, 150, 40, (130, 150, 135), H)
    ridge(d, rng, W, 215, 25, (105, 135, 95), H)
    d.rectangle([380, 150, 560, 240], fill=(235, 232, 225))  # cottage
    d.polygon([(365, 155), (470, 105), (575, 155)], fill=(90, 90, 95))
    d.rectangle([450, 190, 480, 240], fill=(120, 80, 50))
    d.rectangle([400, 175, 430, 200], fill=(140, 170, 190))
    d.polygon([(250, H), (400, H), (470, 245), (440, 242)], fill=(190, 170, 140))  # path
    person(d, 330, 372, 1.6, (230, 230, 235))  # white coat
    d.rectangle([346, 320, 366, 336], fill=(200, 60, 60))  # medicine box
    person(d, 290, 380, 1.6, (70, 90, 120))
    for _ in range(6):  # trees
        x = rng.randint(20, 350)
        y = rng.randint(200, 250)
        d.ellipse([x - 18, y - 50, x + 18, y], fill=(60, 100, 60))
        d.rectangle([x - 2, y - 5, x + 2, y + 10], fill=(80, 60, 40))
    return finish(img)


def photo_dapeng(rng):
    """Rows of long white greenhouse tunnels running into the distance."""
    W, H = PHOTO_SIZE
    img, d = new_photo((160, 190, 220), (225, 232, 236))
    horizon = 140
    d.rectangle([0, horizon, W, H], fill=(140, 125, 95))
    for i in range(24):  # distant village
        x = i * 28 + rng.randint(-6, 6)
        h = rng.randint(6, 14)
        d.rectangle([x, horizon - h, x + 22, horizon], fill=(190, 185, 180))
        d.polygon([(x - 2, horizon - h), (x + 11, horizon - h - 6), (x + 24, horizon - h)], fill=(125, 115, 115))
    vx = W * 0.55
    depth = H - horizon

    def at(xb, t):  # point on the line from the vanishing point to (xb, H), t=0 at horizon
        return (vx + (xb - vx) * t, horizon + depth * t)

    t0 = 0.04
    for i in range(-6, 7):
        a, b = vx + i * 150 - 65, vx + i * 150 + 65
        strip = [at(a, t0), at(b, t0), at(b, 1.0), at(a, 1.0)]
        d.polygon(strip, fill=(226, 230, 232))
        mid_a, mid_b = vx + i * 150 - 20, vx + i * 150 + 20
        d.polygon([at(mid_a, t0), at(mid_b, t0), at(mid_b, 1.0), at(mid_a, 1.0)], fill=(244, 246, 247))
        d.line([at(a, t0), at(a, 1.0)], fill=(170, 175, 180), width=2)
        d.line([at(b, t0), at(b, 1.0)], fill=(170, 175, 180), width=2)
        for k in range(1, 16):  # ribs, closer together in the distance
            t = t0 + (1 - t0) * (k / 16) ** 2
            d.line([at(a, t), at(b, t)], fill=(195, 200, 205), width=1)
    return finish(img)


def photo_baicai(rng):
    """Cabbages stacked in a field, a small truck behind."""
    W, H = PHOTO_SIZE
    img, d = new_photo((190, 205, 220), (230, 232, 230))
    d.rectangle([0, 150, W, H], fill=(125, 100, 75))
    d.rectangle([380, 90, 600, 170], fill=(60, 110, 160))  # truck box
    d.rectangle([320, 110, 382, 170], fill=(70, 120, 170))
    d.rectangle([330, 118, 370, 140], fill=(190, 215, 230))
    for x in (345, 420, 560):
        d.ellipse([x, 158, x + 26, 184], fill=(30, 30, 30))
    rows = 7
    for r in range(rows):
        y = 190 + r * 32 + r * r * 2
        size = 16 + r * 4
        x = rng.randint(-size, 0)
        while x < W + size:
            g = rng.randint(-12, 12)
            d.ellipse([x, y, x + size * 2, y + size * 1.5], fill=(95 + g, 150 + g, 70))
            d.ellipse([x + size * 0.5, y + size * 0.3, x + size * 1.5, y + size * 1.2], fill=(215, 230, 180))
            x += int(size * 1.8)
    return finish(img)


def photo_zhoudashan(rng):
    """A kiwi orchard in winter: trellis posts and wires, two figures."""
    W, H = PHOTO_SIZE
    img, d = new_photo((190, 195, 200), (225, 225, 222))
    ridge(d, rng, W, 130, 25, (150, 160, 155), H)
    d.rectangle([0, 230, W, H], fill=(125, 110, 90))
    vanish = (W // 2, 150)
    for i in range(-6, 7):  # trellis rows in perspective
        xb = W // 2 + i * 120
        d.line([vanish, (xb, H)], fill=(110, 95, 75), width=2)
    for k in range(7):  # cross wires and posts
        t = (k + 1) / 8
        y = int(150 + (H - 150) * t * t)
        d.line([(0, y - 60 * t), (W, y - 60 * t)], fill=(90, 80, 70), width=1)
        for i in range(-6, 7):
            x = int(vanish[0] + (i * 120) * t * t)
            d.rectangle([x - 2, y - int(120 * t), x + 2, y], fill=(140, 135, 125))
            for _ in range(3):  # bare vines
                d.line([(x, y - int(110 * t)), (x + rng.randint(-30, 30) * t, y - int(rng.randint(60, 100) * t))],
                       fill=(95, 70, 50), width=1)
    person(d, 250, 400, 2.0, (40, 60, 100))
    person(d, 330, 395, 1.9, (150, 110, 60))
    return finish(img)


def photo_guyao(rng):
    """Inside an old kiln: brick arch, fire glow, shelves of celadon ware."""
    W, H = PHOTO_SIZE
    img, d = new_photo((60, 45, 40), (95, 70, 55))
    for row in range(0, H, 14):  # brick wall
        off = 0 if (row // 14) % 2 == 0 else 20
        for x in range(-off, W, 40):
            g = rng.randint(-10, 10)
            d.rectangle([x + 1, row + 1, x + 38, row + 12], fill=(120 + g, 65 + g, 45 + g))
    d.pieslice([200, 60, 440, 300], 180, 360, fill=(80, 40, 25))  # arch
    d.rectangle([200, 180, 440, 330], fill=(80, 40, 25))
    d.pieslice([230, 100, 410, 260], 180, 360, fill=(240, 150, 50))  # fire glow
    d.rectangle([230, 180, 410, 330], fill=(240, 150, 50))
    d.ellipse([270, 200, 370, 300], fill=(255, 210, 110))
    d.rectangle([0, 330, W, H], fill=(70, 55, 45))  # floor
    for sx in (20, 470):  # shelves with celadon pots
        for r in range(3):
            y = 120 + r * 70
            d.rectangle([sx, y, sx + 150, y + 6], fill=(60, 40, 30))
            for k in range(4):
                x = sx + 10 + k * 36
                h = rng.randint(30, 50)
                d.ellipse([x, y - h, x + 28, y], fill=(150, 190, 165))
                d.ellipse([x + 8, y - h - 4, x + 20, y - h + 8], fill=(135, 175, 150))
    person(d, 470, 400, 2.1, (60, 60, 70))
    return finish(img)


def photo_riverfront(rng):
    """English fixture: a steel bridge over a river at dusk, city on the far bank."""
    W, H = PHOTO_SIZE
    img, d = new_photo((70, 70, 120), (235, 160, 110))
    d.rectangle([0, 230, W, H], fill=(60, 70, 95))  # river
    x = 0
    while x < W:  # skyline
        w = rng.randint(30, 70)
        h = rng.randint(40, 150)
        d.rectangle([x, 230 - h, x + w, 230], fill=(45, 45, 65))
        for wy in range(230 - h + 8, 226, 14):
            for wx in range(x + 5, x + w - 6, 12):
                if rng.random() < 0.35:
                    d.rectangle([wx, wy, wx + 5, wy + 6], fill=(250, 210, 120))
        x += w + rng.randint(0, 8)
    for i in range(40):  # reflections
        y = rng.randint(240, H - 5)
        xx = rng.randint(0, W)
        d.line([(xx, y), (xx + rng.randint(10, 40), y)], fill=(200, 150, 110), width=1)
    d.rectangle([0, 275, W, 288], fill=(35, 35, 40))  # bridge deck
    for px in range(40, W, 150):  # piers
        d.rectangle([px, 288, px + 18, H], fill=(40, 40, 48))
    for tx in range(0, W, 50):  # truss
        d.line([(tx, 275), (tx + 25, 245), (tx + 50, 275)], fill=(35, 35, 40), width=3)
    d.line([(0, 245), (W, 245)], fill=(35, 35, 40), width=3)
    for k in range(6):  # car lights
        cx = 60 + k * 95
        d.rectangle([cx, 268, cx + 16, 274], fill=(250, 240, 200))
    return finish(img, 0.8)


PHOTOS = [
    # (path relative to ROOT, scene, seed)
    ("content/2026-11-26/01/images/banlie.jpg", photo_banlie, 101),
    ("content/2026-11-26/02/images/chayuan.jpg", photo_chayuan, 102),
    ("content/2026-11-26/02/images/chaye-zhibo.jpg", photo_chaye_zhibo, 103),
    ("content/2026-11-26/02/images/shibing.jpg", photo_shibing, 104),
    ("content/2026-11-26/03/images/luoxiaomei.jpg", photo_luoxiaomei, 105),
    ("content/2026-11-27/01/images/dapeng.jpg", photo_dapeng, 106),
    ("content/2026-11-27/02/images/baicai.jpg", photo_baicai, 107),
    ("content/2026-11-27/03/images/zhoudashan.jpg", photo_zhoudashan, 108),
    ("content/2026-11-27/04/images/guyao.jpg", photo_guyao, 109),
    ("tests/fixtures/english/content/2026-11-27/A1/images/riverfront.jpg", photo_riverfront, 110),
]


def jpeg_bytes(img):
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------
# the logo
# --------------------------------------------------------------------------

def make_logo():
    W, H = 360, 96
    img = Image.new("RGBA", (W, H), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    d.text((8, -16), "河川日报", font=font("serif-bold", 72), fill=RED)
    for k in range(3):  # three waves: the river
        y = 82 + k * 5
        pts = [(x, y + 2 * math.sin(x / 14.0 + k)) for x in range(8, 300, 2)]
        d.line(pts, fill=RED, width=1)
    d.text((304, 10), "HECHUAN", font=font("sans-bold", 10), fill=RED)
    d.text((304, 24), "DAILY", font=font("sans-bold", 10), fill=RED)
    out = img.quantize(colors=32, method=Image.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    out.save(buf, "PNG", optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------
# the page picture (版面图)
# --------------------------------------------------------------------------

def read_front_matter(path):
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return {}
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]) or {}


def areas_of(meta):
    area = meta.get("area")
    if not area:
        return []
    if isinstance(area[0], (int, float)):
        return [area]
    return list(area)


def wrap(draw, text, fnt, width):
    lines, cur = [], ""
    for ch in text:
        if draw.textlength(cur + ch, font=fnt) > width and cur:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def text_lines(draw, rng, box, columns, pitch=9):
    """Fill box with grey bars that stand for lines of body text."""
    x0, y0, x1, y1 = box
    gutter = 10
    colw = (x1 - x0 - gutter * (columns - 1)) / columns
    if colw < 20 or y1 - y0 < pitch:
        return
    for c in range(columns):
        cx = x0 + c * (colw + gutter)
        y = y0
        since_par = rng.randint(2, 8)
        while y + 5 <= y1:
            if since_par == 0:
                w = colw * rng.uniform(0.25, 0.85)
                since_par = rng.randint(4, 11)
            else:
                w = colw
                since_par -= 1
            indent = 10 if since_par == 0 else 0
            draw.rectangle([cx + indent, y, cx + w, y + 4], fill=GREY_TEXT)
            y += pitch


def draw_article(img, d, rng, meta, boxes, lead, page_dir):
    W, H = img.size
    px = [(b[0] * W / 100, b[1] * H / 100, (b[0] + b[2]) * W / 100, (b[1] + b[3]) * H / 100)
          for b in boxes]
    for x0, y0, x1, y1 in px:  # rules between articles
        if y0 > 0.13 * H:
            d.line([(x0, y0 - 5), (x1, y0 - 5)], fill=(120, 120, 120), width=1)
        if x0 > 0.05 * W:
            d.line([(x0 - 7, y0), (x0 - 7, y1)], fill=(120, 120, 120), width=1)
    x0, y0, x1, y1 = px[0]
    pad = 4
    x0, y0, x1, y1 = x0 + pad, y0 + pad, x1 - pad, y1 - pad
    width = x1 - x0
    y = y0
    if meta.get("column"):
        f = font("sans-bold", 14)
        tw = d.textlength(meta["column"], font=f)
        d.rectangle([x0, y, x0 + tw + 16, y + 22], fill=RED)
        d.text((x0 + 8, y + 2), meta["column"], font=f, fill=(255, 255, 255))
        y += 30
    if meta.get("kicker"):
        f = font("sans", 15)
        d.text((x0, y), meta["kicker"], font=f, fill=(70, 70, 70))
        y += 22
    size = 36 if lead else 26
    lines = None
    for sz in range(size, int(size * 0.72), -1):  # one line, shrinking a little if needed
        f = font("serif-bold", sz)
        if d.textlength(meta["title"], font=f) <= width:
            lines, size = [meta["title"]], sz
            break
    if lines is None:  # two balanced lines
        while True:
            f = font("serif-bold", size)
            half = (len(meta["title"]) + 1) // 2
            lines = [meta["title"][:half], meta["title"][half:]]
            if all(d.textlength(x, font=f) <= width for x in lines) or size <= 16:
                break
            size -= 1
    for line in lines:
        tw = d.textlength(line, font=f)
        d.text((x0 + (width - tw) / 2 if lead else x0, y), line, font=f, fill=INK)
        y += int(size * 1.3)
    if meta.get("subtitle"):
        f = font("sans", 14)
        for line in wrap(d, "——" + meta["subtitle"], f, width):
            tw = d.textlength(line, font=f)
            d.text((x0 + (width - tw) / 2 if lead else x0, y), line, font=f, fill=(60, 60, 60))
            y += 20
    by = []
    for entry in meta.get("byline") or []:
        if isinstance(entry, str):
            by.append(entry)
        else:
            by.append(entry["role"] + " " + " ".join(entry["names"]))
    if by:
        f = font("sans", 12)
        d.text((x0, y + 2), "　".join(by), font=f, fill=(90, 90, 90))
        y += 22
    y += 4
    body_box = (x0, y, x1, y1)
    columns = meta.get("columns") or (2 if width > 300 else 1)
    photos = meta.get("photos") or []
    if photos and lead:
        src = page_dir / photos[0]["src"]
        pw = int(width * 0.56)
        ph = int(pw * PHOTO_SIZE[1] / PHOTO_SIZE[0])
        pic = Image.open(src).convert("RGB").resize((pw, ph), Image.Resampling.LANCZOS)
        pxx = int(x1 - pw)
        img.paste(pic, (pxx, int(y)))
        cap_y = int(y) + ph + 4
        d.rectangle([pxx, cap_y, pxx + pw * 0.9, cap_y + 4], fill=(120, 120, 120))
        d.rectangle([pxx, cap_y + 9, pxx + pw * 0.5, cap_y + 13], fill=(120, 120, 120))
        text_lines(d, rng, (x0, y, pxx - 10, y1), 1)
        text_lines(d, rng, (pxx, cap_y + 22, x1, y1), 2)
    else:
        text_lines(d, rng, body_box, columns)
    for bx0, by0, bx1, by1 in px[1:]:
        text_lines(d, rng, (bx0 + pad, by0 + pad, bx1 - pad, by1 - pad), 2)


def make_page(page_rel, seed):
    page_dir = ROOT / page_rel
    edition_dir = page_dir.parent
    edition = yaml.safe_load((edition_dir / "edition.yaml").read_text(encoding="utf-8")) or {}
    page = yaml.safe_load((page_dir / "page.yaml").read_text(encoding="utf-8")) or {}
    n_pages = sum(1 for p in edition_dir.iterdir() if p.is_dir())
    rng = random.Random(seed)
    W, H = PAGE_SIZE
    img = Image.new("RGB", PAGE_SIZE, PAPER)
    d = ImageDraw.Draw(img)

    # masthead band
    d.text((30, 6), "河川日报", font=font("serif-bold", 66), fill=RED)
    d.text((34, 88), "HECHUAN DAILY", font=font("sans-bold", 11), fill=RED)
    y, m, dd = (int(x) for x in edition_dir.name.split("-"))
    weekday = "一二三四五六日"[__import__("datetime").date(y, m, dd).weekday()]
    info = [
        f"{y}年{m}月{dd}日　星期{weekday}",
        f"第{edition.get('number', '')}期　今日{n_pages}版",
        f"第{page_dir.name}版　{page.get('name', '')}",
    ]
    editors = page.get("editor") or []
    if isinstance(editors, str):
        editors = [editors]
    if editors:
        info.append("责任编辑：" + "　".join(editors))
    f = font("sans", 13)
    for i, line in enumerate(info):
        d.text((560, 12 + i * 21), line, font=f, fill=(50, 50, 50))
    if edition.get("label"):
        lf = font("sans-bold", 18)
        tw = d.textlength(edition["label"], font=lf)
        d.rectangle([340, 30, 340 + tw + 20, 62], outline=RED, width=2)
        d.text((350, 33), edition["label"], font=lf, fill=RED)
    d.rectangle([24, 108, W - 24, 111], fill=RED)
    d.line([(24, 115), (W - 24, 115)], fill=RED, width=1)

    # articles, in order
    arts = []
    for md in sorted(page_dir.glob("*.md")):
        meta = read_front_matter(md)
        if meta.get("draft") or not areas_of(meta):
            continue
        arts.append((meta.get("order", 10**6), md.name, meta))
    arts.sort(key=lambda a: (a[0], a[1]))
    for i, (_, _, meta) in enumerate(arts):
        draw_article(img, d, rng, meta, areas_of(meta), i == 0, page_dir)

    # footer
    d.line([(24, int(H * 0.965)), (W - 24, int(H * 0.965))], fill=(120, 120, 120), width=1)
    d.text((24, int(H * 0.968)), "河川日报社出版　社址：河川市柳岸区滨河大道88号　本报地址仅供示例",
           font=font("sans", 11), fill=(110, 110, 110))

    png = io.BytesIO()
    img.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        png, "PNG", optimize=True)
    small = img.resize((W // 2, H // 2), Image.Resampling.LANCZOS)
    pdf = io.BytesIO()
    small.save(pdf, "PDF", resolution=36.0, quality=60, title=f"河川日报 {edition_dir.name} 第{page_dir.name}版",
               author="河川日报社", creationDate=PDF_DATE, modDate=PDF_DATE)
    return png.getvalue(), pdf.getvalue()


# --------------------------------------------------------------------------

def outputs():
    """Yield (relative path, bytes) for every generated file, in a fixed order."""
    yield "static/logo.png", make_logo()
    for rel, scene, seed in PHOTOS:
        yield rel, jpeg_bytes(scene(random.Random(seed)))
    png, pdf = make_page("content/2026-11-27/01", 201)
    yield "content/2026-11-27/01/images/page.png", png
    yield "content/2026-11-27/01/images/page.pdf", pdf


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if any committed file differs from a fresh render")
    args = ap.parse_args()
    differ = 0
    for rel, data in outputs():
        path = ROOT / rel
        if args.check:
            same = path.exists() and path.read_bytes() == data
            differ += not same
            print(f"{'ok  ' if same else 'DIFF'} {rel}")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{len(data):>7} {rel}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
