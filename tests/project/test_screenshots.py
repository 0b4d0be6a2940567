"""The README's screenshots can be remade: every docs/screenshot*.png is a shot of
scripts/screenshot.py (none made by hand with a throwaway script), and the shots that train a
network of their own (the backprop lesson, the comparison of two runs) run to the end."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "screenshot.py"


def screenshot_module():
    spec = importlib.util.spec_from_file_location("screenshot_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_every_screenshot_in_docs_is_made_by_the_script():
    shots = screenshot_module().SHOTS
    files = [shot.file for shot in shots]
    assert len(set(files)) == len(files), "two shots write the same file"
    in_docs = {p.name for p in (ROOT / "docs").glob("screenshot*.png")}
    assert in_docs == set(files), (f"made by hand: {sorted(in_docs - set(files))}; "
                                   f"missing from docs/: {sorted(set(files) - in_docs)}")


@pytest.mark.mnist
def test_the_lesson_and_compare_shots_are_taken(mnist_dir, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(mnist_dir), "--out-dir", str(tmp_path),
         "--only", "backprop-lesson", "compare", "--seed-epochs", "1", "--compare-epochs", "1"],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    from PySide6.QtGui import QImage

    for name in ("screenshot-backprop-lesson.png", "screenshot-compare.png"):
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == (1366, 768), name
