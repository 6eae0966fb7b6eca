"""Placeholder portraits for demo deputies: a coloured silhouette with the surname on it."""

import io
import random

from PIL import Image, ImageDraw, ImageFont

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
