"""The digits as the trainer reads them, made row by row on demand and kept in the user's cache.

Two things about a training set cost seconds and depend only on its digits and a fixed recipe:
the digits sheared upright (``preprocess.deskew``, about 2 s for MNIST's 60,000) and, for
augmentation, a uniform-pen redraw of a share of them (``augment.pen_redraw`` and
``styled_redraw``, about 5 s). Done before the first batch they kept a user who clicked Train
waiting 6-10 s. A ``Prepared`` set makes a row when the trainer first asks for it, so training
starts at once and the first epoch carries the work a chunk of batches at a time, and keeps
what it made in the user's cache folder (``cache_folder()``), one file per data set and recipe,
so that the next run on the same data reads it in a tenth of a second.

Each row's result depends on that row and the recipe alone, never on which other rows were made
with it or in what order: which digits get a pen redraw, with which width and whether styled
is drawn for the whole set from ``RECIPE_SEED``, and a styled digit's extra stroke from a
generator seeded by its row. So a run gives the same bits whether the cache was cold, warm or
half made. A cache file whose bytes do not match the CRC-32 sums in its header (or that does
not load at all) is ignored and written anew.

Shapes: ``images`` uint8 (N, 28, 28), ``labels`` uint8 (N,) or None; rows are indices into them.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import platformdirs

from .atomic import atomic_open
from .augment import PEN_WIDTHS, STYLE_SHARE, pen_redraw, styled_redraw
from .errors import WriteError
from .preprocess import deskew

RECIPE_VERSION = 1  # raise it whenever the preparation's code changes what it makes
RECIPE_SEED = 22
PEN_SHARE = 0.4  # of the digits that get a uniform-pen redraw (20,000 of MNIST's 50,000)
KEEP_FILES = 3  # cache files kept (the most recently used); each is about 66 MB for MNIST


def recipe(deskewed: bool, pens: bool) -> dict:
    """Everything that decides what a ``Prepared`` set makes, beside the digits themselves."""
    return {"version": RECIPE_VERSION, "deskew": deskewed, "pens": pens, "seed": RECIPE_SEED,
            "pen_share": PEN_SHARE, "pen_widths": list(PEN_WIDTHS),
            "style_share": {str(k): v for k, v in sorted(STYLE_SHARE.items())}}


def cache_folder() -> Path:
    """Where prepared sets are kept: the user's cache folder, ``.../ffn-gui/prepared``."""
    return Path(platformdirs.user_cache_dir("ffn-gui")) / "prepared"


def pen_plan(n: int, labels: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, width index into PEN_WIDTHS, styled) of the digits of a set of ``n`` that get a
    pen redraw: about PEN_SHARE of them; styled (``add_style_strokes``) only with labels."""
    rng = np.random.default_rng([RECIPE_SEED, n])
    rows = np.flatnonzero(rng.random(n) < PEN_SHARE)
    widths = rng.integers(len(PEN_WIDTHS), size=len(rows))
    luck = rng.random(len(rows))
    if labels is None:
        return rows, widths, np.zeros(len(rows), bool)
    share = np.array([STYLE_SHARE.get(c, 0.0) for c in range(11)])  # 10: not a digit
    return rows, widths, luck < share[np.asarray(labels)[rows]]


class Prepared:
    """One data set's digits as read (deskewed if ``deskewed``) and, if ``pens``, the pen
    redraws of ``pen_plan``'s rows, each made on first use. With ``checksum`` and ``folder``
    it starts from, and ``save()`` writes, the cache file of that data and recipe."""

    def __init__(self, images: np.ndarray, labels: np.ndarray | None, *, deskewed: bool,
                 pens: bool, checksum: str | None = None, folder: Path | None = None) -> None:
        n = len(images)
        self.images, self.labels = images, labels
        self.deskewed, self.pens = deskewed, pens
        self.read = np.zeros_like(images) if deskewed else images
        self.read_done = np.full(n, not deskewed)
        self.pen_rows, self.pen_width, self.pen_styled = pen_plan(n if pens else 0, labels)
        self.pen_slot = np.full(n, -1, np.intp)
        self.pen_slot[self.pen_rows] = np.arange(len(self.pen_rows))
        self.pen = np.zeros((len(self.pen_rows), *images.shape[1:]), np.uint8)
        self.pen_done = np.zeros(len(self.pen_rows), bool)
        self.dirty = False
        self.path = None
        self.cache = "off"  # then "hit", "miss" or "damaged"
        if checksum is not None and folder is not None and (deskewed or pens):
            key = hashlib.sha256(json.dumps(recipe(deskewed, pens)).encode()).hexdigest()
            self.path = Path(folder) / f"{checksum[:32]}-{key[:12]}.npz"
            self.meta = {"checksum": checksum, "recipe": recipe(deskewed, pens), "n": n}
            self.cache = _load(self)

    def __len__(self) -> int:
        return len(self.images)

    def images_of(self, rows: np.ndarray) -> np.ndarray:
        """The digits of ``rows`` as read (a new uint8 array), made first where not yet made."""
        todo = np.unique(rows[~self.read_done[rows]])
        if todo.size:
            self.read[todo] = deskew(self.images[todo])
            self.read_done[todo] = True
            self.dirty = True
        return self.read[rows]

    def pens_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(has, redrawn): which of ``rows`` have a pen redraw, and those redraws (uint8
        (has.sum(), 28, 28)), made first where not yet made."""
        slots = self.pen_slot[rows]
        has = slots >= 0
        todo = np.unique(slots[has][~self.pen_done[slots[has]]])
        if todo.size:
            self._redraw(todo)
        return has, self.pen[slots[has]]

    def _redraw(self, slots: np.ndarray) -> None:
        rows = self.pen_rows[slots]
        source = self.images_of(rows)
        for k, width in enumerate(PEN_WIDTHS):
            for styled in (False, True):
                sel = (self.pen_width[slots] == k) & (self.pen_styled[slots] == styled)
                if not sel.any():
                    continue
                if styled:
                    rngs = [np.random.default_rng([RECIPE_SEED, int(r)]) for r in rows[sel]]
                    part = styled_redraw(source[sel], self.labels[rows[sel]], width, rngs)
                else:
                    part = pen_redraw(source[sel], width)
                self.pen[slots[sel]] = part
        self.pen_done[slots] = True
        self.dirty = True

    def save(self) -> bool:
        """Write what was made to the cache file (if there is one and something new was made);
        True if written. A cache that cannot be written (a full disk, say) is skipped."""
        if self.path is None or not self.dirty:
            return False
        arrays = {name: getattr(self, name) for name in _kept(self)}
        meta = dict(self.meta, crc={k: zlib.crc32(v) for k, v in arrays.items()})
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_open(self.path) as f:
                np.savez(f, meta=np.array(json.dumps(meta)), **arrays)
        except (OSError, WriteError):
            return False
        self.dirty = False
        _forget_old(self.path.parent)
        return True


def _kept(prepared: Prepared) -> list[str]:
    """The names of the arrays a cache file keeps: those the recipe makes."""
    return (["read", "read_done"] if prepared.deskewed else []) + \
        (["pen", "pen_done"] if prepared.pens else [])


def _load(prepared: Prepared) -> str:
    """Fill ``prepared`` from its cache file: "hit", "miss" (no file) or "damaged" (a file that
    does not load, is not of this data and recipe, or whose bytes fail their CRC-32)."""
    names = _kept(prepared)
    try:
        with np.load(prepared.path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            crc = meta.pop("crc")
            if meta != prepared.meta or set(crc) != set(names):
                return "damaged"
            arrays = {k: z[k] for k in names}
    except FileNotFoundError:
        return "miss"
    except (OSError, ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile,
            EOFError):
        return "damaged"
    for name, array in arrays.items():
        mine = getattr(prepared, name)
        if (array.shape != mine.shape or array.dtype != mine.dtype
                or zlib.crc32(array) != crc[name]):
            return "damaged"
    for name, array in arrays.items():
        setattr(prepared, name, array)  # fresh, writable arrays: adopted, not copied
    _touch(prepared.path)
    return "hit"


def _touch(path: Path) -> None:
    try:
        os.utime(path)  # most recently used: the last to be forgotten
    except OSError:
        pass


def _forget_old(folder: Path) -> None:
    """Remove all but the KEEP_FILES most recently used cache files."""
    try:
        files = sorted(folder.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP_FILES:]:
            old.unlink()
    except OSError:
        pass


@dataclass(frozen=True, eq=False)
class Part:
    """Some rows of a ``Prepared`` set: a run's training or validation part."""

    prepared: Prepared
    rows: np.ndarray

    @classmethod
    def whole(cls, dataset, *, deskewed: bool, pens: bool) -> Part:
        """All of ``dataset`` (images, labels), prepared without a cache file."""
        prepared = Prepared(np.asarray(dataset.images), dataset.labels, deskewed=deskewed,
                            pens=pens)
        return cls(prepared, np.arange(len(prepared)))

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def labels(self) -> np.ndarray:
        return np.asarray(self.prepared.labels)[self.rows]

    def images(self, which: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The digits (as read) of the part's rows ``which`` (all by default)."""
        return self.prepared.images_of(self.rows[which])

    def pens(self, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``Prepared.pens_of`` for the part's rows ``which``."""
        return self.prepared.pens_of(self.rows[which])
