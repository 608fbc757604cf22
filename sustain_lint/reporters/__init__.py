"""Reporters only format a RunResult; they never judge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FORMATS = ("text", "json", "sarif", "github", "junit")


def get_reporter(fmt: str) -> Callable[..., str]:
    if fmt == "text":
        from sustain_lint.reporters.text import render_text

        return render_text
    if fmt == "json":
        from sustain_lint.reporters.json_report import render_json

        return render_json
    if fmt == "sarif":
        from sustain_lint.reporters.sarif import render_sarif

        return render_sarif
    if fmt == "github":
        from sustain_lint.reporters.github import render_github

        return render_github
    if fmt == "junit":
        from sustain_lint.reporters.junit import render_junit

        return render_junit
    raise ValueError(fmt)


def safe_text(value: Any) -> str:
    """Text from an artifact made safe for a terminal or a log: control
    characters (escape sequences included) are shown escaped, never sent."""
    text = str(value)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        else:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
    return "".join(out)
