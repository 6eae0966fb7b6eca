"""Deputies' portraits: the sized copies public pages show, and placeholder portraits for demo deputies."""

import io
import random

from PIL import Image, ImageDraw, ImageFont, ImageOps

# 4:5, like a passport photo. Small: a list row or a directory card (about 80-150 CSS px wide, so
# sharp up to a 2x screen); large: the deputy's page (128 CSS px on a 2x screen and a little over).
PORTRAIT_SIZES = {"small": (160, 200), "large": (320, 400)}

_FONT_PATHS = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]
_BACKGROUNDS = ["#dbe7f3", "#e8e1f0", "#e3efe3", "#f3e6d8", "#f0dede", "#e2eef0"]
_CLOTHES = ["#2f3e56", "#3b3b3b", "#4a3f35", "#24465e", "#553333"]


def _font(size: int):
    for path in _FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return None  # no CJK font: the portrait goes without the character


def portrait_jpeg(name: str, *, seed: int, width: int = 240, height: int = 300) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), rng.choice(_BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    skin = rng.choice(["#f1d3b8", "#e8c39e", "#dcb48f"])
    draw.ellipse((width * 0.3, height * 0.18, width * 0.7, height * 0.52), fill=skin)
    draw.ellipse((width * 0.28, height * 0.14, width * 0.72, height * 0.33), fill="#222")  # hair
    draw.ellipse((width * 0.3, height * 0.22, width * 0.7, height * 0.52), fill=skin)
    draw.pieslice((width * 0.08, height * 0.58, width * 0.92, height * 1.4), 180, 360, fill=rng.choice(_CLOTHES))
    font = _font(int(height * 0.12))
    if font and name:
        # The surname on the chest, so cards stay tellable apart at a glance.
        draw.text((width / 2, height * 0.8), name[0], font=font, fill="#ffffff", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def portrait_jpeg_sized(photo, size: tuple[int, int]) -> bytes:
    """`photo` (a file Pillow can read, any size, any orientation tag) as a JPEG of exactly `size`.

    Cropped to 4:5 around the upper middle, where a portrait's face is. Raises OSError
    (or Pillow's DecompressionBombError) for a file that is not a usable picture.
    """
    with Image.open(photo) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
    sized = ImageOps.fit(upright, size, Image.Resampling.LANCZOS, centering=(0.5, 0.35))
    buffer = io.BytesIO()
    sized.save(buffer, format="JPEG", quality=80, optimize=True)
    return buffer.getvalue()
