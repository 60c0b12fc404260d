"""Shared fixtures: the bundled article built once per session, and the ``--update-golden`` switch."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_TEXT = ROOT / "data" / "articles" / "shunde-2020-07-15.txt"
#: Debian's Chromium, driven by Playwright; never a downloaded browser. The flags keep it off the network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def built():  # type: ignore[no-untyped-def]
    """The bundled article, built and reasoned over once (``kg.commands.Built``)."""
    from kg.commands import built_from_sources

    return built_from_sources(None)


@pytest.fixture(scope="session")
def asserted(built):  # type: ignore[no-untyped-def]
    return built.graph(inferred=False)


@pytest.fixture(scope="session")
def article_text() -> str:
    return ARTICLE_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium per test module; browser tests skip only outside CI without the package.

    Module scope, not session: Playwright's sync API keeps an asyncio loop running in the main thread while
    it is open, and later tests that call ``asyncio.run`` (the serve load test) would find it there.
    """
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("no /usr/bin/chromium (install the Debian chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def kg_command() -> str:
    """The installed ``kg`` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "kg"
    assert script.exists(), f"the kg console script is not installed at {script}; run pip install -e ."
    return str(script)


def run_kg(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``kg`` with ``args``; never raises on a non-zero exit."""
    return subprocess.run(
        [kg_command(), *args], capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})},
        timeout=300, check=False,
    )
