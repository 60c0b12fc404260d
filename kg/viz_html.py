"""The network page's HTML: ``viz/network.html`` filled with its stylesheet, scripts and data, all inlined.

Graph strings are data: they travel as JSON inside a ``<script type="application/json">`` with ``< > &``
U+2028 U+2029 escaped and are put on the page with ``textContent``; a Content-Security-Policy allows nothing
to load and only the page's own inline scripts to run, by hash.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import cache
from typing import Any

from kg.assets import asset

#: Scripts inlined, in this order: vis-network, then the page's own, each before the ones that use it
#: (``network.js`` last: it calls the others' ``window.kg*`` factories).
SCRIPTS = ("vendor/vis-network.min.js", "records.js", "panel.js", "search.js", "view.js", "network.js")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def render_page(data: dict[str, Any], title: str) -> str:
    """Fill ``viz/network.html``: the title escaped, the data as safe JSON, styles and scripts inlined."""
    scripts = [_text_asset(name) for name in SCRIPTS]
    for name, text in zip(SCRIPTS, scripts, strict=True):
        if re.search(r"</script|<!--", text, re.IGNORECASE):
            raise ValueError(f"viz/{name} contains '</script' or '<!--' and cannot be inlined")
    css = _text_asset("network.css")
    if re.search(r"</style", css, re.IGNORECASE):
        raise ValueError("viz/network.css contains '</style' and cannot be inlined")
    fills = {
        "csp": content_security_policy([scripts[0], "\n".join(scripts[1:])]),
        "title": html.escape(title),
        "css": css,
        "data": script_json(data),
        "vis": scripts[0],
        "app": "\n".join(scripts[1:]),
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: fills[m.group(1)], _text_asset("network.html"))


def script_json(data: object) -> str:
    """JSON that cannot end its ``<script>`` element or open markup: ``< > &`` U+2028/9 as ``\\uXXXX``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def content_security_policy(inline_scripts: list[str]) -> str:
    """Nothing may load from anywhere; only these inline scripts (by hash) run, injected handlers cannot."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode('ascii')}'"
        for s in inline_scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


@cache
def _text_asset(name: str) -> str:
    return asset("viz", *name.split("/")).read_text(encoding="utf-8")


def json_asset(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(_text_asset(name))
    return loaded
