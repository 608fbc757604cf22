"""Rules of backlog (not yet implemented)."""

from __future__ import annotations

from sustain_lint.model import Rule

RULES: tuple[Rule, ...] = ()
