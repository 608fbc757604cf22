"""What a rule sees: the parsed documents of one evidence set, the
evaluation date, the policy, and a read-only view of the repository."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sustain_lint.policy import Policy

if TYPE_CHECKING:
    from sustain_lint.history import SetHistory

T = TypeVar("T")


@dataclasses.dataclass
class Context:
    documents: dict[str, Any]  # artifact name -> parsed document (only files that parsed)
    states: dict[str, str]  # artifact name -> "ok" | "missing" | "unreadable"
    today: dt.date
    policy: Policy
    path_exists: Callable[[str], bool]  # repository-relative path -> exists inside the repo
    # what git's history holds of the files the rules judge against it (Rule.history);
    # None: not gathered (those rules are silent); its ``reason``: why there is none
    history: SetHistory | None = None
    # whether a rule runs in this run (``--select``/``--ignore``, the config): a rule that
    # speaks for another (SL107 for SL106 and SL313) is silent when that one is off
    runs: Callable[[str], bool] = lambda _code: True

    def doc(self, artifact: str, kind: type[T]) -> T | None:
        """The parsed document of ``artifact``, or None if missing or unreadable."""
        doc = self.documents.get(artifact)
        return doc if isinstance(doc, kind) else None
