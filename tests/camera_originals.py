"""Camera originals made on the spot, as a newsroom gets them: a 6000×4000 JPEG with GPS and
the camera's model and serial, a portrait stored sideways with an EXIF orientation tag, an
iPhone-style HEIC, a 2400×1600 PNG screenshot and a 3000×4500 scan of a printed page.

Used by tests/test_pictures.py (once per session), bench/pictures.py and bench/lighthouse.py.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw

GPS_IFD, MAKE, MODEL, SERIAL, ORIENTATION = 0x8825, 0x010F, 0x0110, 0xA431, 0x0112
COPYRIGHT, ARTIST = 0x8298, 0x013B
UP_COLOUR, DOWN_COLOUR = (220, 30, 30), (30, 60, 220)  # the top and bottom bands of an upright photo

# What the three camera originals of the acceptance article are, as front matter.
ARTICLE_PHOTOS = """photos:
  - src: images/camera.jpg
    caption: 一张6000×4000的相机原图，带GPS位置。
    credit: 本报记者 苏映雪 摄
    alt: 田野上的大棚，远处是村庄。
  - src: images/portrait.jpg
    caption: 竖拍的照片，以横向存储并带方向标记。
    credit: 本报记者 苏映雪 摄
    alt: 竖幅照片。
  - src: images/screenshot.png
    caption: 一张2400×1600的截图。
    alt: 网页截图。
"""


def scene(width: int, height: int, seed: int) -> Image.Image:
    """A photo-like picture: soft sky and fields with shapes, a little sensor noise, a red
    band at the top and a blue one at the bottom (to tell upright from turned)."""
    rnd = random.Random(seed)
    small = Image.new("RGB", (max(width // 16, 8), max(height // 16, 8)))
    draw = ImageDraw.Draw(small)
    for y in range(small.height):
        t = y / small.height
        draw.line([(0, y), (small.width, y)], fill=(int(90 + 90 * t), int(150 + 40 * t), int(210 - 120 * t)))
    for _ in range(40):
        x, y, r = rnd.randrange(small.width), rnd.randrange(small.height), rnd.randrange(3, max(4, small.width // 8))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rnd.randrange(40, 230) for _ in range(3)))
    image = small.resize((width, height), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((width // 4, height // 4), 24).resize((width, height)).convert("RGB")
    image = Image.blend(image, noise, 0.06)
    band = max(height // 12, 4)
    ImageDraw.Draw(image).rectangle([0, 0, width, band], fill=UP_COLOUR)
    ImageDraw.Draw(image).rectangle([0, height - band, width, height], fill=DOWN_COLOUR)
    return image


def camera_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a camera writes it: make, model, serial, GPS position, copyright, artist."""
    exif = Image.Exif()
    exif[MAKE], exif[MODEL], exif[ORIENTATION] = "Canon", "Canon EOS R5", orientation
    exif[COPYRIGHT], exif[ARTIST] = "(c) Hechuan Daily", "Su Yingxue"  # EXIF text is ASCII
    exif.get_ifd(0x8769)[SERIAL] = "012345678901"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (30.0, 15.0, 12.5), 3: "E", 4: (120.0, 9.0, 41.0)})
    return exif


def srgb() -> bytes:
    """An sRGB colour profile, as cameras embed one."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def make_all(folder: Path) -> dict[str, Path]:
    """Every kind of original, written into `folder`; by name."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    made["camera.jpg"] = folder / "camera.jpg"
    scene(6000, 4000, 1).save(made["camera.jpg"], quality=92, exif=camera_exif(), icc_profile=srgb())
    # upright 3000×4500; stored sideways (turned a quarter clockwise), with orientation 6 to undo it
    made["portrait.jpg"] = folder / "portrait.jpg"
    scene(3000, 4500, 2).transpose(Image.Transpose.ROTATE_90).save(made["portrait.jpg"], quality=92,
                                                                  exif=camera_exif(orientation=6))
    made["screenshot.png"] = folder / "screenshot.png"
    scene(2400, 1600, 3).convert("RGBA").save(made["screenshot.png"], compress_level=1)
    made["phone.heic"] = folder / "phone.heic"
    write_heic(scene(2016, 1512, 4), made["phone.heic"])
    made["scan.jpg"] = folder / "scan.jpg"
    scene(3000, 4500, 5).save(made["scan.jpg"], quality=90, exif=camera_exif())
    return made


def write_heic(image: Image.Image, path: Path) -> None:
    """A HEIC file as an iPhone writes one, with GPS in its EXIF (through pillow-heif)."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    image.save(path, format="HEIF", quality=70, enc_params={"preset": "ultrafast"}, exif=camera_exif().tobytes())


def add_to_sample(site_root: Path, originals: dict[str, Path]) -> None:
    """The sample with the camera originals in: the three of the acceptance article on the front's
    lead story (2026-11-27/01/dongji-nongye.md), the HEIC on 02/nongji-dongjian.md, the scan as
    page 01's page picture."""
    page = site_root / "content/2026-11-27/01"
    for name in ("camera.jpg", "portrait.jpg", "screenshot.png", "scan.jpg"):
        shutil.copy(originals[name], page / "images" / name)
    article = page / "dongji-nongye.md"
    text = article.read_text(encoding="utf-8")
    start, end = text.index("photos:\n"), text.index("tags:")
    article.write_text(text[:start] + ARTICLE_PHOTOS + text[end:], encoding="utf-8")
    (page / "page.yaml").write_text((page / "page.yaml").read_text(encoding="utf-8").replace(
        "image: images/page.png", "image: images/scan.jpg"), encoding="utf-8")
    (page / "images/page.png").unlink()
    (page / "images/dapeng.jpg").unlink()
    second = site_root / "content/2026-11-27/02"
    shutil.copy(originals["phone.heic"], second / "images" / "phone.heic")
    story = second / "nongji-dongjian.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("---\n", "---\nphotos:\n  - src: images/phone.heic\n    caption: 手机拍的HEIC照片。\n", 1)
                     if "photos:" not in text else text, encoding="utf-8")
