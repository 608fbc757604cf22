from __future__ import annotations

from sustain_lint.cli import console

console()
