"""The rule catalog: an explicit registry, one module per artifact.

Every module exports ``RULES``, a tuple of ``sustain_lint.model.Rule``. Rule
modules judge parsed documents and yield problems; they do no I/O and import
nothing heavy at module level (``sustain-lint rules`` and ``explain`` must
start fast)."""

from __future__ import annotations

from sustain_lint.model import Rule
from sustain_lint.rules import (
    approvals,
    backlog,
    capacity,
    charter,
    core,
    feedback,
    monitoring,
    owners,
    release,
    reporting,
    review,
    runbooks,
    tooling,
    waivers,
    workflow,
)

_MODULES = (
    core, owners, charter, capacity, tooling, runbooks, workflow, reporting,
    backlog, release, feedback, approvals, monitoring, review, waivers,
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
