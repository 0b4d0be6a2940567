"""Reading a digit from an image file (PNG, JPEG or BMP), for ``ffn predict`` and the window.

``read_image(path)`` returns a float32 (H, W) array in [0, 1], white ink on black like the
board: an image with dark ink on a light background (most scans and drawings) is inverted, and
transparency is laid over white first. It follows the loaders' rules (see ``core.data``): only a
regular file is opened (a folder or a FIFO is refused without blocking), a file or a declared
picture size beyond the limits below is refused before anything is decoded, and whatever goes
wrong is a ``DataError`` naming the file.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import numpy as np

from .data.files import only_data_errors, open_binary, read_upto
from .errors import DataError
from .rows import to_unit

FORMATS = ("PNG", "JPEG", "BMP")
SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
MAX_FILE_BYTES = 32 * 2**20
MAX_SIDE = 8192  # pixels; a photo of a digit needs far fewer
MAX_PIXELS = 25_000_000


@only_data_errors
def read_image(path: str | os.PathLike) -> np.ndarray:
    """The image at ``path`` as float32 (H, W) in [0, 1], white ink on black."""
    path = Path(path)
    with open_binary(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise DataError(f"{path}: {size:,} bytes is too large for an image of a digit "
                            f"(at most {MAX_FILE_BYTES // 2**20} MB)")
        data = bytes(read_upto(f, MAX_FILE_BYTES + 1))
    if not data:
        raise DataError(f"{path}: the file is empty")
    gray = _decode(data, path)
    if gray.size == 0:
        raise DataError(f"{path}: the image is empty (no pixels)")
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    if np.median(border) > 0.5:  # dark ink on a light background, like most drawings
        gray = 1.0 - gray
    return np.ascontiguousarray(gray, np.float32)


def _decode(data: bytes, path: Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as im:
                w, h = im.size  # from the header: nothing is decoded yet
                if w > MAX_SIDE or h > MAX_SIDE or w * h > MAX_PIXELS:
                    raise DataError(f"{path}: the image declares {w:,}×{h:,} pixels, more than "
                                    f"an image of a digit may have (at most {MAX_SIDE:,} a "
                                    "side); refused before decoding")
                im.load()
                if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
                    rgba = im.convert("RGBA")
                    bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                    im = Image.alpha_composite(bg, rgba)
                return to_unit(np.asarray(im.convert("L")))
    except DataError:  # a ValueError too: our own refusal, not an unreadable image
        raise
    except UnidentifiedImageError:
        raise DataError(f"{path}: not a PNG, JPEG or BMP image (unrecognised contents)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DataError(f"{path}: the image declares more pixels than an image of a digit may "
                        f"have (at most {MAX_SIDE:,} a side); refused before decoding") from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError) as e:
        raise DataError(f"{path}: not a readable image ({str(e) or type(e).__name__})") from None
