"""No tracked file names a path of the machine it was made on (a temp folder, a home or work directory):
benchmark results and docs name their inputs portably, so a clone reads the same anywhere."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MACHINE_PATH = re.compile(r"(?<![\w.:/-])/(?:home|Users|root|tmp|work|opt|mnt|srv)/[\w.-]+")
#: Third-party files copied byte for byte (sha256 pinned in their READMEs); their text is upstream's.
VENDORED = ("viz/vendor/", "viz/serve/vendor/")
#: Deliberate: the payload of the "!!python/object/apply is never executed" case, and the check that it
#: was not.
ALLOWED = {("tests/bad_inputs/python_tag.yaml", "/tmp/kg-pwned"), ("tests/test_bad_inputs.py", "/tmp/kg-pwned")}


def tracked_text_files() -> list[str]:
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout (an sdist or wheel has no tracked files to check)")
    this = str(Path(__file__).resolve().relative_to(ROOT))  # holds the pattern's own examples
    return [name for name in listed.stdout.splitlines() if not name.startswith(VENDORED) and name != this]


def test_no_tracked_file_names_a_machine_path() -> None:
    found = []
    for name in tracked_text_files():
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue  # binary (images), or deleted in the working tree
        found += [(name, match) for match in MACHINE_PATH.findall(text) if (name, match) not in ALLOWED]
    assert found == []


def test_the_pattern_finds_what_it_is_for() -> None:
    assert MACHINE_PATH.findall("### /tmp/stq/b100/graph.nq and /home/me/x") == ["/tmp/stq", "/home/me"]
    assert MACHINE_PATH.findall("http://bblfish.net/work/atom-owl/ /usr/bin/chromium /etc/passwd") == []
