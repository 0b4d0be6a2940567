"""The README and docs/ hold together: every relative link and image points at a file that
exists (and a ``#anchor`` at a heading of it), and the README stays a short user's guide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_LINES = 250

LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~)")


def prose_lines(text: str) -> list[str]:
    """The Markdown's lines with code blanked out: fenced blocks, indented blocks (a line
    indented four spaces after a blank line or more code) and inline code."""
    lines, fenced, code, blank = [], False, False, True
    for line in text.splitlines():
        if FENCE.match(line.lstrip()):
            fenced, line = not fenced, ""
        code = not fenced and line.startswith("    ") and (blank or code)
        blank = not line.strip()
        lines.append("" if fenced or code else re.sub(r"`[^`]*`", "", line))
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*|_(?=\W)|(?<=\W)_", "", heading.strip().lower())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for line in prose_lines(path.read_text(encoding="utf-8")):
        m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            base = slug(m[1])
            n = seen.get(base, 0)
            seen[base] = n + 1
            out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(path: Path) -> list[tuple[int, str]]:
    """(line number, target) of every link and image in ``path``'s prose."""
    found = []
    for number, line in enumerate(prose_lines(path.read_text(encoding="utf-8")), start=1):
        found += [(number, m[1]) for m in LINK.finditer(line)]
    return found


def shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def broken_links(path: Path) -> list[str]:
    problems = []
    for number, target in links(path):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        where = (path.parent / file_part).resolve() if file_part else path
        name = f"{shown(path)}:{number}: {target}"
        if not where.exists():
            problems.append(f"{name}: no file {shown(where)}")
        elif anchor and where.suffix == ".md" and anchor not in anchors(where):
            problems.append(f"{name}: no heading with the anchor #{anchor} in {where.name}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_and_image_resolves(page):
    assert links(page) or page != README, "the README links to nothing: did the parser break?"
    problems = broken_links(page)
    assert not problems, "links that lead nowhere:\n" + "\n".join(problems)


def test_the_link_check_finds_a_missing_file_and_a_missing_heading(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n## Where things are kept\n\n[ok](#where-things-are-kept) "
                    "[gone](missing.png) ![pic](page.md#nowhere)\n\n    [code](not-a-link.md)\n"
                    "and `[inline](nor-this.md)`\n", encoding="utf-8")
    problems = broken_links(page)
    assert len(problems) == 2, problems
    assert "missing.png" in problems[0] and "#nowhere" in problems[1]


def test_the_docs_pages_are_linked_from_the_readme():
    targets = {t.partition("#")[0] for _, t in links(README)}
    unlinked = [p.name for p in PAGES[1:] if f"docs/{p.name}" not in targets]
    assert not unlinked, f"docs pages the README never links to: {unlinked}"


def test_the_readme_is_a_short_users_guide():
    n = len(README.read_text(encoding="utf-8").splitlines())
    assert n <= README_MAX_LINES, (
        f"README.md has {n} lines, more than {README_MAX_LINES}: move reference material "
        "(benchmarks, the math, the architecture) to a page in docs/ and link it")
