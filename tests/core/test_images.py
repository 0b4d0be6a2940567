"""core.images.read_image: PNG, JPEG and BMP read as a white-on-black drawing; anything broken is
refused with the engine's error naming the file, before decoding when the size is absurd."""

import os
import struct
import time
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image

from core.cli import main
from core.data import UNFORESEEN
from core.errors import DataError
from core.images import read_image


def digit(dark_on_light=True):
    a = np.zeros((60, 40), np.uint8)
    a[10:50, 18:23] = 255  # a "1"
    return 255 - a if dark_on_light else a


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".bmp"])
@pytest.mark.parametrize("dark_on_light", [True, False])
def test_formats_read_as_white_ink_on_black(tmp_path, suffix, dark_on_light):
    path = tmp_path / f"one{suffix}"
    Image.fromarray(digit(dark_on_light)).convert("RGB").save(path)
    gray = read_image(path)
    assert gray.dtype == np.float32 and gray.shape == (60, 40)
    assert gray[30, 20] > 0.8 and gray[5, 5] < 0.2


def test_transparency_is_laid_over_white(tmp_path):
    rgba = np.zeros((30, 30, 4), np.uint8)
    rgba[5:25, 12:16] = (0, 0, 0, 255)  # black ink, the rest transparent
    Image.fromarray(rgba, "RGBA").save(tmp_path / "ink.png")
    gray = read_image(tmp_path / "ink.png")
    assert gray[15, 13] > 0.9 and gray[2, 2] < 0.1


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def huge_png(w=100_000, h=100_000) -> bytes:
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1000)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def good_png(tmp_path) -> bytes:
    Image.fromarray(digit()).save(tmp_path / "good.png")
    return (tmp_path / "good.png").read_bytes()


BROKEN = {
    "truncated": (lambda g: g[: len(g) // 2], "not a readable image"),
    "wrong magic": (lambda g: b"GIF89a" + g[6:], "not a PNG, JPEG or BMP"),
    "text": (lambda g: b"hello, this is not a picture\n", "not a PNG, JPEG or BMP"),
    "empty": (lambda g: b"", "empty"),
    "huge declared size": (lambda g: huge_png(), "refused before decoding"),
    "big declared size": (lambda g: huge_png(9000, 9000), "declares 9,000×9,000 pixels"),
    "wide and flat": (lambda g: huge_png(60_000, 1), "declares 60,000×1"),
    "bad header crc": (lambda g: g[:29] + bytes([g[29] ^ 0xFF]) + g[30:], "not a PNG"),
    "corrupt pixel data": (lambda g: g[:60] + bytes(b ^ 0x5A for b in g[60:-20]) + g[-20:],
                           "not a readable image"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_broken_files_are_the_engines_error_naming_the_file(tmp_path, kind):
    make, message = BROKEN[kind]
    path = tmp_path / "bad.png"
    path.write_bytes(make(good_png(tmp_path)))
    t0 = time.perf_counter()
    with pytest.raises(DataError) as e:
        read_image(path)
    assert str(path) in str(e.value) and message in str(e.value)
    assert UNFORESEEN not in str(e.value)
    assert time.perf_counter() - t0 < 2


def test_a_folder_a_fifo_and_a_missing_file_are_refused_without_blocking(tmp_path):
    with pytest.raises(DataError, match="folder"):
        read_image(tmp_path)
    with pytest.raises(DataError, match="not found"):
        read_image(tmp_path / "missing.png")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.png")
        with pytest.raises(DataError, match="not a regular file"):
            read_image(tmp_path / "pipe.png")


def test_ffn_predict_reads_images_through_it(tmp_path, capsys):
    (tmp_path / "bad.png").write_bytes(huge_png())
    from core.model_io import save_model
    from core.training import TrainConfig

    save_model(tmp_path / "m.npz", TrainConfig(hidden=(8,)).make_network())
    assert main(["predict", "--model", str(tmp_path / "m.npz"), str(tmp_path / "bad.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ffn: error: ") and "refused before decoding" in err
    Image.fromarray(digit()).save(tmp_path / "one.bmp")
    assert main(["predict", "--model", str(tmp_path / "m.npz"), str(tmp_path / "one.bmp")]) == 0
    assert capsys.readouterr().out.startswith("digit: ")


# --- the size limits, the formats, transparency in every form -------------------------------

def real_png(path, w, h):
    Image.new("L", (w, h)).save(path)
    return path


def test_an_image_at_the_limits_is_read_and_one_pixel_past_them_is_refused(tmp_path):
    assert read_image(real_png(tmp_path / "wide.png", 8192, 1)).shape == (1, 8192)
    assert read_image(real_png(tmp_path / "tall.png", 1, 8192)).shape == (8192, 1)
    assert read_image(real_png(tmp_path / "most.png", 5000, 5000)).shape == (5000, 5000)
    for w, h in ((8193, 1), (1, 8193), (5000, 5001), (6000, 6000)):
        path = tmp_path / f"{w}x{h}.png"
        path.write_bytes(huge_png(w, h))
        with pytest.raises(DataError) as e:
            read_image(path)
        assert str(e.value) == (f"{path}: the image declares {w:,}×{h:,} pixels, more than an "
                                "image of a digit may have (at most 8,192 a side); refused "
                                "before decoding")


def test_a_size_pillow_warns_about_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(huge_png(10_000, 10_000))  # 100 M pixels: Pillow warns, does not raise
    with pytest.raises(DataError, match="refused before decoding"):
        read_image(path)


def test_only_pillows_size_warning_is_an_error_while_reading(tmp_path):
    """A PNG carrying an APNG header that declares no frames makes Pillow warn ("Invalid APNG")
    and read the still image; outside the test suite's warnings-are-errors that is a good read."""
    good = good_png(tmp_path)
    odd = good[:33] + png_chunk(b"acTL", struct.pack(">II", 0, 0)) + good[33:]
    (tmp_path / "odd.png").write_bytes(odd)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gray = read_image(tmp_path / "odd.png")
    assert gray[30, 20] > 0.8 and gray[5, 5] < 0.2


@pytest.mark.parametrize("fmt", ["GIF", "TIFF", "WEBP"])
def test_other_formats_than_png_jpeg_and_bmp_are_refused(tmp_path, fmt):
    path = tmp_path / f"one.{fmt.lower()}"
    Image.fromarray(digit()).save(path, fmt)
    with pytest.raises(DataError, match="not a PNG, JPEG or BMP image"):
        read_image(path)


def ink_and_clear(mode):
    """A black "1" on a clear background, as a ``mode`` PNG with its alpha or transparency."""
    ink = digit(dark_on_light=False) > 0
    if mode == "LA":
        return Image.fromarray(np.stack([np.zeros_like(ink, np.uint8), ink * 255], -1)
                               .astype(np.uint8), "LA"), {}
    if mode == "P":  # index 0: black, the transparent colour; index 1: black ink
        image = Image.fromarray(ink.astype(np.uint8), "P")
        image.putpalette([0, 0, 0, 0, 0, 0])
        return image, {"transparency": 0}
    return Image.fromarray(np.where(ink, 0, 7).astype(np.uint8), "L"), {"transparency": 7}


@pytest.mark.parametrize("mode", ["LA", "P", "L"])
def test_clear_pixels_are_white_paper_in_every_png_flavour(tmp_path, mode):
    image, options = ink_and_clear(mode)
    image.save(tmp_path / "ink.png", **options)
    gray = read_image(tmp_path / "ink.png")
    assert gray[30, 20] > 0.9 and gray[5, 5] < 0.1  # the ink white, the clear background black


def test_a_decoder_failure_without_words_is_named_by_its_kind(tmp_path, monkeypatch):
    """Pillow's decoders may raise an exception with no message (a bare EOFError); the error
    then names its kind rather than showing empty brackets."""
    Image.fromarray(digit()).save(tmp_path / "one.png")

    def fail(self):
        raise EOFError()

    monkeypatch.setattr("PIL.PngImagePlugin.PngImageFile.load", fail)
    with pytest.raises(DataError) as e:
        read_image(tmp_path / "one.png")
    assert str(e.value) == f"{tmp_path / 'one.png'}: not a readable image (EOFError)"
