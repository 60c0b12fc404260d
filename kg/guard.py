"""No outbound traffic, ever: a process-wide audit hook (PEP 578) that refuses network connections.

rdflib can be made to fetch: a SPARQL ``SERVICE`` clause, ``FROM <http://…>``, a JSON-LD remote ``@context``,
``Graph.parse(url)``. Each is refused earlier, where it is parsed; this guard is the backstop under all of
them. While it is active, ``socket.connect`` (except to a local Unix socket), ``socket.getaddrinfo`` for a
name that is not a loopback literal, and ``urllib.Request`` all raise :class:`OutboundRefusedError` before
anything leaves the process. A server still binds and accepts: listening is not an outbound connection.

Audit hooks cannot be removed, so the hook is installed once and consults :data:`_active`; the CLI turns it
on for the duration of a command (:func:`no_outbound_traffic`).
"""

from __future__ import annotations

import contextlib
import ipaddress
import sys
from collections.abc import Iterator
from typing import Any

_active = False
_installed = False


class OutboundRefusedError(PermissionError):
    """An attempt to reach the network while the guard is active."""


def _is_loopback_literal(host: object) -> bool:
    if host in ("localhost", None):
        return True
    try:
        return ipaddress.ip_address(str(host).strip("[]")).is_loopback
    except ValueError:
        return False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _active:
        return
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, (str, bytes)):  # AF_UNIX: a local socket file, not the network
            return
        raise OutboundRefusedError(f"outbound connection to {address!r} refused: kg never uses the network")
    if event == "socket.getaddrinfo" and not _is_loopback_literal(args[0]):
        raise OutboundRefusedError(f"name lookup of {args[0]!r} refused: kg never uses the network")
    if event == "urllib.Request":
        raise OutboundRefusedError(f"URL open of {args[0]!r} refused: kg never fetches anything")


def install() -> None:
    """Install the hook (once per process); it does nothing until activated."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


@contextlib.contextmanager
def no_outbound_traffic() -> Iterator[None]:
    """Refuse every outbound connection inside the ``with`` block."""
    global _active
    install()
    previous, _active = _active, True
    try:
        yield
    finally:
        _active = previous
