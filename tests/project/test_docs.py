"""The README and docs/ hold together: every relative link and image points at a file that
exists (and a ``#anchor`` at a heading of it), and the README stays a short user's guide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
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


# --- the shortcut table: made from the window's action table --------------------------------

REGENERATE = "run `python scripts/shortcuts_table.py --write` and commit README.md"


def readme_shortcut_table() -> str:
    from ffn_gui.shell.shortcut_docs import table_span

    text = README.read_text(encoding="utf-8")
    start, end = table_span(text)
    return text[start:end]


def test_the_readmes_shortcut_table_is_the_one_the_action_table_makes(qapp):
    from ffn_gui.shell.shortcut_docs import markdown_table

    made, shown = markdown_table(), readme_shortcut_table()
    missing = [line for line in made.splitlines() if line not in shown.splitlines()]
    stale = [line for line in shown.splitlines() if line not in made.splitlines()]
    assert shown == made, (
        f"README.md's shortcut table is not the one ffn_gui/shell/actions.py makes: {REGENERATE}.\n"
        f"missing from the README: {missing}\nin the README only: {stale}")


def table_entries(table: str) -> dict[str, str]:
    """{action: keys} of a shortcut table whose lines hold two (keys, action) entries."""
    found = {}
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        found.update({action: keys for keys, action in zip(cells[::2], cells[1::2]) if action})
    return found


def test_the_table_names_ctrl_l_for_clear_and_shift_f1(qapp):
    rows = table_entries(readme_shortcut_table())
    assert "`Ctrl+L`" in rows["Edit → Clear board"]
    assert "`Shift+F1`" in rows["Help → What am I looking at?"]
    assert rows["Edit → It's a 0 … 9"] == "`Ctrl+0 … Ctrl+9`"
    assert rows["View → Training view … Input view"] == "`Alt+1 … Alt+7`"
    assert rows["View → Next view"] == "`Ctrl+Tab`"


def test_a_new_shortcut_makes_a_new_row_so_the_readme_check_fails(qapp):
    from ffn_gui.shell.actions import ACTIONS, ActionSpec
    from ffn_gui.shell.shortcut_docs import markdown_table

    extra = ActionSpec("mirror", "&View", "&Mirror the board", lambda w: w.canvas.mirror(),
                       ("Ctrl+M",))
    table = markdown_table((*ACTIONS, extra))
    assert table_entries(table)["View → Mirror the board"] == "`Ctrl+M`"
    assert table != readme_shortcut_table()


def test_f1_lists_the_actions_and_keys_the_readme_lists(window):
    """F1 reads the window's QActions; the README's table reads ACTIONS: the same rows, the
    same keys."""
    from PySide6.QtGui import QKeySequence

    from ffn_gui.shell.actions import ACTIONS, shortcut_rows
    from ffn_gui.shell.shortcut_docs import keys_text

    portable = QKeySequence.SequenceFormat.PortableText
    for spec in ACTIONS:
        action = getattr(window, f"{spec.name}_action")
        assert [s.toString(portable) for s in action.shortcuts()] == keys_text(spec), spec.name
    in_f1 = [text for _, text, _ in shortcut_rows(window)]
    in_table = [spec.text.replace("&", "") for spec in ACTIONS if spec.shortcuts]
    assert in_f1 == in_table


# --- the command line: the README's synopsis against the parsers' own --help -----------------

OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
PROGRAMS = ["ffn", *(f"ffn {name}" for name in COMMANDS), "ffn-gui"]


def readme_synopsis() -> dict[str, set[str]]:
    """{"ffn train": {"--data", ...}, ...} from the first code block of the README's
    command-line section: a line starting with ``ffn``/``ffn-gui`` opens a program, more deeply
    indented lines continue it, and ``#`` starts a comment."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## The command line\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"(?:^ {4}.*\n?)+", section, re.M)
    assert block, "the README's command-line section has no indented code block"
    synopsis: dict[str, set[str]] = {}
    program = None
    for line in block[0].splitlines():
        body = line[4:].split("#", 1)[0]
        if re.match(r"ffn(-gui)?\b", body):
            words = body.split()
            program = " ".join(words[:2] if len(words) > 1 and words[1] in COMMANDS
                               else words[:1])
            synopsis.setdefault(program, set())
        assert program, f"the synopsis's first line names no program: {line!r}"
        synopsis[program] |= set(OPTION.findall(body))
    return synopsis


def help_options(program: str, capsys) -> set[str]:
    """The options ``program --help`` lists in its usage, without --help itself."""
    from core.cli import main
    from ffn_gui.app import parse_args

    args = program.split()[1:] + ["--help"]
    with pytest.raises(SystemExit) as exit_:
        parse_args(args) if program == "ffn-gui" else main(args)
    assert exit_.value.code == 0
    usage = capsys.readouterr().out.split("\n\n", 1)[0]
    assert usage.startswith(f"usage: {program}"), usage
    return set(OPTION.findall(usage)) - {"--help"}


def test_the_synopsis_shows_every_program_and_subcommand():
    assert sorted(readme_synopsis()) == sorted(PROGRAMS)


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_synopsis_lists_the_options_of_help(program, capsys):
    real, shown = help_options(program, capsys), readme_synopsis().get(program, set())
    assert shown == real, (
        f"the README's synopsis of `{program}` and its --help differ:\n"
        f"  in --help, not in the README: {sorted(real - shown)}\n"
        f"  in the README, not in --help: {sorted(shown - real)}")
