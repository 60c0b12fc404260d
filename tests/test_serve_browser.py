"""``kg serve`` pages against a hostile graph (markup in a label, an alias, a class label and a quote), as
text and in Debian's Chromium: the query page works with no request leaving localhost, every page shows
the markup as text, and the example queries run from one click.

Browser tests skip only when ``/usr/bin/chromium`` is missing and ``CI`` is not set; in CI they must run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from test_serve_helpers import HOSTILE, hostile_built, serving, trap

from kg.commands import Built
from kg.serve import create_app

ACTIVE = ".tabPanel.active .yasr"
PAGES = ("/", "/id/org/murata", "/id/event/murata-visit", "/id/award/foshan-xiaogezhuan-demonstration-site",
         "/ontology", "/network")


@pytest.fixture(scope="module")
def base(built: Built) -> Iterator[str]:
    with serving(create_app(hostile_built(built), timeout_s=5.0, workers=2)) as url:
        yield url




@pytest.mark.parametrize("path", PAGES)
def test_markup_in_the_graph_is_escaped_in_every_page(base: str, path: str) -> None:
    page = httpx.get(base + path, timeout=30)
    assert page.status_code == 200
    assert HOSTILE not in page.text
    assert "<script>alert" not in page.text
    if path.startswith("/id/") or path == "/ontology":
        assert "&lt;script&gt;alert(" in page.text


class Watch:
    """Every request a page makes, every console error, every dialog (an executed alert)."""

    def __init__(self, page: Any) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def outside(self, base: str) -> list[str]:
        local = urlsplit(base).netloc
        return [url for url in self.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(url).netloc != local]


def test_query_page_runs_an_example_with_no_request_leaving_localhost(browser: Any, base: str) -> None:
    page = browser.new_page()
    watch = Watch(page)
    page.goto(base + "/")
    page.wait_for_selector(".yasgui .CodeMirror", timeout=15_000)
    page.click("button.run-example[data-name='pairings-by-phase']")
    page.wait_for_selector(ACTIVE + " table tbody tr td", timeout=15_000)
    assert page.locator(ACTIVE + " table tbody tr").count() >= 10
    assert page.locator(ACTIVE + " a[href^='/id/pairing/']").count() > 0  # result IRIs link to local pages
    page.click("button.run-example[data-name='partners-of']")  # a parameter, sent as $name
    page.wait_for_selector(ACTIVE + " table tbody tr:has-text('村田')", timeout=15_000)
    assert page.locator(".tabPanel").count() == 3  # the default tab and one per example
    page.close()
    assert watch.outside(base) == []
    assert any(url.startswith(base + "/sparql") for url in watch.requests)
    assert not [e for e in watch.errors if "Content Security Policy" in e or "Refused" in e], watch.errors
    assert watch.dialogs == []


def test_a_shared_link_naming_another_endpoint_still_queries_this_server(browser: Any, base: str) -> None:
    """YASGUI reads ``#endpoint=`` from the URL; the page points every tab back at its own ``/sparql``."""
    with trap() as (elsewhere, hits):
        page = browser.new_page()
        watch = Watch(page)
        page.goto(base + "/#" + urlencode({"query": "ASK { ?s ?p ?o }", "endpoint": elsewhere + "/sparql"}))
        page.wait_for_selector(".tabPanel.active .CodeMirror", timeout=15_000)
        page.click(".tabPanel.active .yasqe_queryButton")
        page.wait_for_selector(ACTIVE + " :text('true')", timeout=15_000)
        page.close()
    assert hits == []
    assert watch.outside(base) == []
    assert any(url.startswith(base + "/sparql") for url in watch.requests)


def test_hostile_entity_page_shows_markup_as_text(browser: Any, base: str) -> None:
    page = browser.new_page()
    watch = Watch(page)
    page.goto(base + "/id/org/murata")
    assert HOSTILE in page.locator("main").inner_text()
    assert page.locator("main script").count() == 0
    assert page.locator("mark").count() >= 1
    page.click("a.describe")
    page.wait_for_selector(".tabPanel.active .CodeMirror", timeout=15_000)
    assert "DESCRIBE <https://w3id.org/zqgj/id/org/murata>" in page.locator(".tabPanel.active .CodeMirror").inner_text()
    assert page.locator(".tabPanel.active input.autocomplete").first.input_value(
        ) == base + "/sparql"
    for path in PAGES[2:]:
        page.goto(base + path)
        page.wait_for_timeout(300)
    page.close()
    assert watch.dialogs == []
    assert watch.outside(base) == []
