"""The bad-input corpus: each case is one small file; each must fail with one ``FILE:LINE: message`` line,
exit 2, no traceback, and leave earlier output byte-identical (run through the installed ``kg``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ARTICLE_TEXT, run_kg

CASES = sorted((Path(__file__).parent / "bad_inputs").glob("*.yaml"))
VALID_HEAD = (Path(__file__).parent / "bad_inputs" / "quote_not_found.yaml").read_text(encoding="utf-8")
ENTITY = (
    "  - id: org/murata\n    type: PrivateEnterprise\n    label: {{zh: {zh}, en: Murata}}\n"
    "    quote: 会议在广东村田智能科技有限公司举行\n"
)


def _expectations(text: str) -> tuple[int, str]:
    line = re.search(r"^# expect-line: (\d+)$", text, re.M)
    message = re.search(r"^# expect: (.+)$", text, re.M)
    assert line and message, "a bad-input case starts with '# expect-line: N' and '# expect: text'"
    return int(line.group(1)), message.group(1)


def _source_folder(tmp_path: Path, content: bytes) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "case.yaml").write_bytes(content)
    shutil.copyfile(ARTICLE_TEXT, folder / "case.txt")
    return folder


def _previous_output(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("# the previous build's output\n", encoding="utf-8")
    return out


def _assert_refused(tmp_path: Path, folder: Path, line: int | None, message: str) -> None:
    out = _previous_output(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = run_kg("build", "--sources", str(folder), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    where = f"{folder / 'case.yaml'}:{line}:" if line else f"{folder / 'case.yaml'}:"
    assert lines[0].startswith(where), f"expected {where!r} at the start of {lines[0]!r}"
    assert message in lines[0]
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".kg-build")} == before


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_yaml_case(case: Path, tmp_path: Path) -> None:
    content = case.read_bytes()
    line, message = _expectations(content.decode("utf-8"))
    _assert_refused(tmp_path, _source_folder(tmp_path, content), line, message)
    assert not Path("/tmp/kg-pwned").exists()


def _with_label(zh: str) -> bytes:
    head = VALID_HEAD.split("entities:")[0] + "entities:\n"
    return (head + ENTITY.format(zh=zh)).encode("utf-8")


ENCODED = {
    "not_utf8": (b"article:\n  id: case\n  label: {zh: \xd6\xd0\xce\xc4, en: x}\n", 3, "not UTF-8: byte 0xd6"),
    "utf8_bom": (b"\xef\xbb\xbf" + _with_label("村田"), 1, "UTF-8 byte-order mark"),
    "utf16": (_with_label("村田").decode("utf-8").encode("utf-16"), 1, "file is UTF-16"),
    "nul_in_file": (_with_label("村\x00田"), 10, "NUL character"),
    "c0_control_in_label": (_with_label("村\x07田"), 10, "control character U+0007"),
    "line_separator_in_label": (_with_label("村\u2028田"), 10, "control character U+2028"),
    "bidi_override_in_label": (_with_label("村\u202e田"), 10, "control character U+202E"),
    "too_large": (b"# " + b"x" * (6 * 1024 * 1024) + b"\n", None, "the limit is 5,242,880"),
}


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_bad_bytes_case(name: str, tmp_path: Path) -> None:
    content, line, message = ENCODED[name]
    _assert_refused(tmp_path, _source_folder(tmp_path, content), line, message)
