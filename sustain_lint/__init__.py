"""sustain-lint: checks the evidence of a maintenance & support plan."""

from __future__ import annotations

__version__ = "0.1.0"
INFORMATION_URI = "https://github.com/sustain-lint/sustain-lint"
