"""The rule catalog: an explicit registry, one module per artifact.

Every module is a ``RuleModule``: it exports ``RULES``, a tuple of
``sustain_lint.model.Rule``, and ``READS`` (artifact -> the table columns its
rules read; empty when they read none), gathered into ``COLUMNS_READ`` below.
mypy checks each module of ``_MODULES`` against the protocol. Rule modules judge
parsed documents and yield problems; they do no I/O and import nothing heavy
at module level (``sustain-lint rules`` and ``explain`` must start fast).
Adding a rule: CONTRIBUTING.md."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Protocol

from sustain_lint.model import Rule
from sustain_lint.rules import (
    approvals,
    backlog,
    capacity,
    charter,
    core,
    events,
    feedback,
    freshness,
    monitoring,
    owners,
    release,
    reporting,
    review,
    runbooks,
    schedules,
    tooling,
    waivers,
    workflow,
)


class RuleModule(Protocol):
    @property
    def RULES(self) -> tuple[Rule, ...]: ...  # noqa: N802 - the module's constant

    @property
    def READS(self) -> Mapping[str, Collection[str]]: ...  # noqa: N802


_MODULES: tuple[RuleModule, ...] = (
    core, owners, events, charter, freshness, capacity, schedules, tooling, runbooks, workflow,
    reporting, backlog, release, feedback, approvals, monitoring, review, waivers,
)

REGISTRY: dict[str, Rule] = {}
for _module in _MODULES:
    for _rule in _module.RULES:
        if _rule.code in REGISTRY:
            raise RuntimeError(f"duplicate rule code {_rule.code}")
        REGISTRY[_rule.code] = _rule

REGISTRY = dict(sorted(REGISTRY.items()))


def get_rule(code: str) -> Rule | None:
    return REGISTRY.get(code.upper())


# per table artifact, the columns some rule reads (each module's READS): the fast CSV reader
# reads these (and the ones SL003 checks) at once and the others only if asked for; a
# column missing here costs a second pass over a large file, never a wrong answer
# (tests/test_columns_read.py checks the lists against what the rules read)
COLUMNS_READ: dict[str, frozenset[str]] = {}
for _module in _MODULES:
    for _artifact, _columns in _module.READS.items():
        COLUMNS_READ[_artifact] = COLUMNS_READ.get(_artifact, frozenset()) | frozenset(_columns)

# per rule code, the table columns its module reads (``READS``): a rule that reads a column
# a table lacks does not run on that set, since SL003 already reports the header once
# ("one cause, one finding", evidence.md §5)
RULE_READS: dict[str, Mapping[str, Collection[str]]] = {
    _rule.code: _module.READS for _module in _MODULES for _rule in _module.RULES}
