"""Argument types the subcommands share (argparse calls them; a refusal is argparse's one-line error)."""

from __future__ import annotations

import argparse


def positive_seconds(text: str) -> float:
    """A number of seconds above 0 and finite (``inf`` would wait for ever)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of seconds")
    return value
