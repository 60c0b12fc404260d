"""No outbound traffic, ever: a process-wide audit hook (PEP 578) that refuses network connections.

rdflib can be made to fetch: a SPARQL ``SERVICE`` clause, ``FROM <http://…>``, a JSON-LD remote ``@context``,
``Graph.parse(url)``. Each is refused earlier, where it is parsed; this guard is the backstop under all of
them. While it is active, ``socket.connect`` (except to a local Unix socket), ``socket.getaddrinfo`` for a
name that is not a loopback literal, and ``urllib.Request`` all raise :class:`OutboundRefusedError` before
anything leaves the process. A server still binds and accepts: listening is not an outbound connection.

Audit hooks cannot be removed, so the hook is installed once and consults :data:`_active`; the CLI turns it
on for the duration of a command (:func:`no_outbound_traffic`).

Its other half is :mod:`kg.guard_files`: no file outside the inputs is read. Stages that process user content
run confined (:func:`confined_to` on a function, :class:`ConfinedRequests` around each server request).

Two commands must reach one server the user named: ``kg push`` and ``kg query --endpoint``. They open a
narrow hole with :func:`allow_endpoint`: the name lookup of exactly that host, and connections to exactly the
addresses it resolved to on exactly that port, for the ``with`` block only. Everything else stays refused.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import ipaddress
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

from kg.guard_files import FileRefusedError, Root, confine_process, confined_reads

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["ConfinedRequests", "FileRefusedError", "OutboundRefusedError", "allow_endpoint", "confine_process",
           "confined_reads", "confined_to", "no_outbound_traffic"]
P = ParamSpec("P")
R = TypeVar("R")

_active = False
_installed = False
_allowed_names: set[str] = set()  # host names whose lookup an allow_endpoint block permits
_allowed_addresses: set[tuple[str, int]] = set()  # (IP, port) pairs a block permits connecting to


class OutboundRefusedError(PermissionError):
    """An attempt to reach the network while the guard is active."""


def _is_loopback_literal(host: object) -> bool:
    """A host whose lookup sends nothing: ``localhost``, or any IP literal (``0.0.0.0`` to bind, ``::1``).

    Looking up a literal never queries a resolver; connecting anywhere is still checked on connect.
    """
    if host in ("localhost", None):
        return True
    try:
        ipaddress.ip_address(str(host).strip("[]"))
    except ValueError:
        return False
    return True


def _normal_ip(host: object) -> str:
    text = str(host).strip("[]")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text.lower()


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _active:
        return
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, (str, bytes)):  # AF_UNIX: a local socket file, not the network
            return
        if isinstance(address, tuple) and (_normal_ip(address[0]), address[1]) in _allowed_addresses:
            return
        raise OutboundRefusedError(f"outbound connection to {address!r} refused: kg never uses the network")
    if event == "socket.getaddrinfo" and not _is_loopback_literal(args[0]) \
            and _normal_ip(args[0]) not in _allowed_names:
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


@contextlib.contextmanager
def allow_endpoint(*urls: str) -> Iterator[None]:
    """Inside the block, let the guard pass connections to each URL's host:port and nothing else.

    For the two commands whose job is to talk to a server the user named (``kg push``, ``kg query
    --endpoint``). The host is resolved here, once; connections are allowed only to the addresses found and
    the URL's port (80/443 by default). ``urllib`` stays refused. Raises :class:`ValueError` for a URL that
    is not ``http(s)://host[:port]/...``.
    """
    new_names = {_normal_ip(_endpoint(url)[0]) for url in urls} - _allowed_names
    new_addresses: set[tuple[str, int]] = set()
    _allowed_names.update(new_names)  # before resolving: the lookup below passes through the hook
    try:
        found: set[tuple[str, int]] = set()
        for url in urls:
            host, port = _endpoint(url)
            found.add((_normal_ip(host), port))
            with contextlib.suppress(OSError):  # unresolvable: the client's own connect will say so
                for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
                    found.add((_normal_ip(sockaddr[0]), port))
        new_addresses = found - _allowed_addresses
        _allowed_addresses.update(new_addresses)
        yield
    finally:
        _allowed_names.difference_update(new_names)
        _allowed_addresses.difference_update(new_addresses)


def _endpoint(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL; :class:`ValueError` for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def confined_to(*names: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a stage: its calls run in :func:`confined_reads` of the arguments ``names`` name.

    A name is a parameter, or a dotted path into one (``"args.graph"``); a missing attribute or ``None``
    adds no root.
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def confined(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            with confined_reads(*(_argument(bound.arguments, name) for name in names)):
                return function(*args, **kwargs)

        return confined

    return decorate


def _argument(arguments: dict[str, Any], name: str) -> Root:
    first, *rest = name.split(".")
    value = arguments.get(first)
    for attribute in rest:
        value = getattr(value, attribute, None)
    return value if isinstance(value, (Path, str)) else None


class ConfinedRequests:
    """ASGI middleware: every HTTP request is served inside :func:`confined_reads` (not strict: a refusal
    becomes that request's error answer, and requests overlap)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with confined_reads(strict=False):
            await self.app(scope, receive, send)
