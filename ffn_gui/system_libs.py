"""The system libraries Qt's X11 platform plugin needs, checked before Qt tries to load it.

On Linux Qt opens its window through the ``xcb`` platform plugin (``libqxcb.so`` in PySide6's
``Qt/plugins/platforms``), which links some twenty X11, OpenGL and font libraries that pip cannot
install. When one is missing Qt names only the first (often ``libxcb-cursor0``) and aborts; the
user installs it and meets the next. ``platform_problem()`` asks the dynamic loader (``ldd``,
about 10 ms) for every library the plugin cannot find and returns one message naming all of
them and the command that installs them (apt, dnf or pacman), or None when nothing is missing
or the platform is not xcb. It does not import Qt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# soname -> (Debian/Ubuntu package, Fedora package, Arch package). The Debian names were checked
# with `dpkg -S` on Debian 12 against the PySide6 6.11 plugin's `ldd` output.
PACKAGES: dict[str, tuple[str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil",
                                "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11"),
    "libXau.so.6": ("libxau6", "libXau", "libxau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp", "libxdmcp"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx", "libglvnd"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd", "libglvnd"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus"),
}
INSTALLERS = (("Debian/Ubuntu", "sudo apt install"), ("Fedora", "sudo dnf install"),
              ("Arch", "sudo pacman -S"))
FAMILIES = {"debian": 0, "ubuntu": 0, "fedora": 1, "rhel": 1, "centos": 1, "arch": 2}

_NOT_FOUND = re.compile(r"^\s*(\S+) => not found\s*$", re.MULTILINE)
_BROKEN = re.compile(r"error while loading shared libraries: (\S+?): (.+)$", re.MULTILINE)


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will open its window through the xcb plugin: on Linux, when QT_QPA_PLATFORM
    asks for xcb, or is unset outside a Wayland session (where Qt tries Wayland first)."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return environ.get("XDG_SESSION_TYPE", "") != "wayland"


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` could not find (or found broken: a path and the reason)."""
    found = list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))
    found += [f"{path} ({why.strip()})" for path, why in _BROKEN.findall(ldd_output)]
    return found


def family(os_release: str) -> int | None:
    """The index into INSTALLERS for an /etc/os-release text, or None when unknown."""
    ids = []
    for line in os_release.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            ids += value.strip().strip('"').split()
    return next((FAMILIES[i] for i in ids if i in FAMILIES), None)


def report(missing: list[str], system: int | None) -> str:
    """What to tell the user: every missing library and the one command that installs them
    (the command of each known system when the system is unknown)."""
    lines = ["ffn-gui cannot open its window: Qt's X11 plugin (xcb) needs these system "
             "libraries, which are missing:"]
    lines += [f"  {name}" for name in missing]
    known = [name for name in missing if name in PACKAGES]
    systems = range(len(INSTALLERS)) if system is None else [system]
    if known:
        lines.append("Install them with:" if system is not None else "Install them with one of:")
        for i in systems:
            packages = " ".join(dict.fromkeys(PACKAGES[name][i] for name in known))
            label = "" if system is not None else f"{INSTALLERS[i][0]}: "
            lines.append(f"  {label}{INSTALLERS[i][1]} {packages}")
    other = [name for name in missing if name not in PACKAGES]
    if other:
        lines.append(f"{'Also install' if known else 'Install'} (or reinstall) the package "
                     "that provides " + ", ".join(other))
    return "\n".join(lines)


def ldd(library: Path) -> str:
    """``ldd``'s listing of ``library`` (its output and errors), or "" when ldd cannot run."""
    tool = shutil.which("ldd")
    if tool is None:
        return ""
    try:
        done = subprocess.run([tool, str(library)], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout + done.stderr


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin, found without importing Qt (None when not there)."""
    from importlib.util import find_spec

    spec = find_spec("PySide6")
    folders = [Path(p) / "Qt" / "plugins" / "platforms"
               for p in (spec.submodule_search_locations or [])] if spec else []
    override = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if override:
        folders.insert(0, Path(override))
    return next((f / "libqxcb.so" for f in folders if (f / "libqxcb.so").is_file()), None)


def platform_problem(environ: Mapping[str, str] = os.environ) -> str | None:
    """The message naming every library Qt's xcb plugin lacks, or None when it can load (or
    the window will not use xcb, or the check cannot be made)."""
    if not uses_xcb(environ):
        return None
    plugin = xcb_plugin()
    missing = missing_libraries(ldd(plugin)) if plugin is not None else []
    if not missing:
        return None
    try:
        os_release = Path("/etc/os-release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        os_release = ""
    return report(missing, family(os_release))
