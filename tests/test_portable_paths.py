"""No tracked file names a path of the machine it was made on (a temp folder, a home or work directory):
benchmark results and docs name their inputs portably, so a clone reads the same anywhere."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MACHINE_PATH = re.compile(r"(?<![\w.:/-])/(?:home|Users|root|tmp|work|opt|mnt|srv)/[\w.-]+")
#: Deliberate: the payload of the "!!python/object/apply is never executed" case, and the check that it
#: was not.
PWNED = "/" + "tmp/kg-pwned"  # assembled, so that this file passes its own check
ALLOWED = {("tests/bad_inputs/python_tag.yaml", PWNED), ("tests/test_bad_inputs.py", PWNED)}


def tracked_text_files() -> list[str]:
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        if os.environ.get("CI"):
            pytest.fail("CI runs on a git clone, yet `git ls-files` failed: nothing would be checked")
        pytest.skip("not a git checkout (an sdist or wheel has no tracked files to check)")
    return listed.stdout.splitlines()  # vendored files too (the one path-like IRI in YASGUI is escaped)


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
    temp, home = "/" + "tmp", "/" + "home"  # assembled, so that this file passes its own check
    found = MACHINE_PATH.findall(f"### {temp}/stq/b100/graph.nq and {home}/me/x")
    assert found == [f"{temp}/stq", f"{home}/me"]
    inside_an_iri = "http://bblfish.net/" + "work" + "/atom-owl/"  # assembled: this file is checked too
    assert MACHINE_PATH.findall(f"{inside_an_iri} /usr/bin/chromium /etc/passwd") == []
