"""ffn-gui names every system library Qt's xcb plugin lacks, and the command that installs them,
instead of Qt's abort (which names the first one only)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ffn_gui import system_libs
from ffn_gui.system_libs import family, missing_libraries, report, uses_xcb

ROOT = Path(__file__).resolve().parents[2]
HIDDEN = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1")

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f4d96f6a000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f4d96363000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-cursor.so.0 => not found
\tlibfrob.so.2 => not found
"""


def test_the_listing_gives_every_missing_library_once():
    assert missing_libraries(LDD) == [*HIDDEN, "libfrob.so.2"]
    assert missing_libraries(LDD.replace("not found", "/lib/x.so (0x1)")) == []
    broken = "ldd: /p/libqxcb.so: error while loading shared libraries: /lib/libX11.so.6: " \
             "file too short\n"
    assert missing_libraries(broken) == ["/lib/libX11.so.6 (file too short)"]


def test_the_report_names_them_all_and_one_install_command():
    text = report(missing_libraries(LDD), family("ID=ubuntu\nID_LIKE=debian\n"))
    for name in (*HIDDEN, "libfrob.so.2"):
        assert f"  {name}\n" in text + "\n"
    assert "  sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1\n" in text
    assert "dnf" not in text and text.endswith("the package that provides libfrob.so.2")
    fedora = report(list(HIDDEN), family('ID=fedora\nVERSION_ID=40\n'))
    assert fedora.endswith("  sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms")
    arch = report(list(HIDDEN), family("ID=arch\n"))
    assert arch.endswith("  sudo pacman -S xcb-util-cursor xcb-util-wm xcb-util-keysyms")


def test_an_unknown_system_gets_each_known_command_and_xcb_libraries_share_packages():
    text = report(["libxcb-shm.so.0", "libxcb-randr.so.0"], family("ID=gentoo\n"))
    assert "Debian/Ubuntu: sudo apt install libxcb-shm0 libxcb-randr0" in text
    assert "Fedora: sudo dnf install libxcb\n" in text  # one package, named once
    assert text.endswith("Arch: sudo pacman -S libxcb")


def test_the_table_maps_every_library_to_three_package_names():
    assert all(len(row) == 3 and all(row) for row in system_libs.PACKAGES.values())


@pytest.mark.parametrize(("environ", "platform", "xcb"), [
    ({}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb:display=:1"}, "linux", True),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
    ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, "linux", False),
    ({"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}, "linux", True),
    ({}, "darwin", False),
    ({"QT_QPA_PLATFORM": "xcb"}, "win32", False),
])
def test_the_check_runs_only_where_qt_would_use_xcb(environ, platform, xcb):
    assert uses_xcb(environ, platform) is xcb


def test_offscreen_never_runs_ldd_and_a_complete_listing_is_no_problem(monkeypatch):
    calls = []
    monkeypatch.setattr(system_libs, "ldd", lambda path: calls.append(path) or LDD)
    assert system_libs.platform_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert calls == []
    monkeypatch.setattr(system_libs, "ldd", lambda path: "\tlibxcb.so.1 => /lib/libxcb.so.1\n")
    if system_libs.xcb_plugin() is not None:
        assert system_libs.platform_problem({"QT_QPA_PLATFORM": "xcb"}) is None


# Hides HIDDEN in a private mount namespace: the folder holding them is replaced by a folder of
# links to all its other files, so the loader finds everything but those three.
HIDE = textwrap.dedent("""
    import os, subprocess, sys, tempfile
    hidden, command = sys.argv[1].split(","), sys.argv[2:]
    for folder in set(os.environ["HIDE_FOLDERS"].split(":")):
        top = tempfile.mkdtemp(dir=os.environ["HIDE_TOP"])
        orig, farm = os.path.join(top, "orig"), os.path.join(top, "farm")
        os.mkdir(orig), os.mkdir(farm)
        subprocess.run(["mount", "--bind", folder, orig], check=True)
        for name in os.listdir(orig):
            if not any(name.startswith(h.split(".so")[0] + ".so") for h in hidden):
                os.symlink(os.path.join(orig, name), os.path.join(farm, name))
        subprocess.run(["mount", "--bind", farm, folder], check=True)
    os.execv(command[0], command)
""")


def run_hidden(tmp_path: Path, *command: str) -> subprocess.CompletedProcess:
    plugin = system_libs.xcb_plugin()
    listing = system_libs.ldd(plugin)
    folders = {str(Path(line.split("=> ")[1].split(" (")[0]).resolve().parent)
               for line in listing.splitlines()
               if line.strip().split(" ")[0] in HIDDEN and "=> /" in line}
    script = tmp_path / "hide.py"
    script.write_text(HIDE)
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":77", "HIDE_FOLDERS":
           ":".join(folders), "HIDE_TOP": str(tmp_path), "XDG_SESSION_TYPE": "x11"}
    return subprocess.run(["unshare", "-r", "-m", sys.executable, str(script), ",".join(HIDDEN),
                           *command], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def _namespaces_work() -> str | None:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return "needs Linux and unshare"
    if system_libs.xcb_plugin() is None or shutil.which("ldd") is None:
        return "needs PySide6's xcb plugin and ldd"
    if subprocess.run(["unshare", "-r", "-m", "true"], capture_output=True).returncode:
        return "this machine does not allow unprivileged mount namespaces (unshare -r -m)"
    return None


NO_NAMESPACES = _namespaces_work()


@pytest.mark.skipif(NO_NAMESPACES is not None, reason=str(NO_NAMESPACES))
def test_with_three_libraries_hidden_the_app_names_all_three_and_qt_alone_names_one(tmp_path):
    qt = run_hidden(tmp_path, sys.executable, "-c",
                    "from PySide6.QtWidgets import QApplication; QApplication([])")
    assert qt.returncode != 0 and "xcb-cursor0" in qt.stderr  # the hiding is real
    assert "icccm" not in qt.stderr  # Qt names only the first
    app = run_hidden(tmp_path, sys.executable, "-m", "ffn_gui")
    assert app.returncode == 1, app.stderr
    for name in HIDDEN:
        assert f"  {name}\n" in app.stderr
    if family(Path("/etc/os-release").read_text()) == 0:  # one command, all three in it
        command = [line for line in app.stderr.splitlines() if "sudo apt install" in line]
        assert len(command) == 1
        assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"} <= set(command[0].split())
    assert "qt.qpa" not in app.stderr and "Aborted" not in app.stderr
