"""``sustain-lint init``: not implemented yet (see the open issue on integrations)."""

from __future__ import annotations

import sys


def init(directory: str) -> int:
    sys.stderr.write("sustain-lint init: not implemented yet\n")
    return 2
