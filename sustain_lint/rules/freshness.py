"""SL107: the approval history is out of reach (evidence.md §7). SL106 and SL313 judge
an approval against the repository's history; a shallow clone whose history starts
after the approval day cannot tell what was approved."""

from __future__ import annotations

from collections.abc import Iterator

from sustain_lint.artifacts import CHARTER, RELEASE
from sustain_lint.context import Context
from sustain_lint.model import Problem, Rule, Severity
from sustain_lint.rules._approval import shallow_problem

# the approved artifacts and the rule that judges each against its history
JUDGED: tuple[tuple[str, str], ...] = ((CHARTER, "SL106"), (RELEASE, "SL313"))


def check_history(ctx: Context) -> Iterator[Problem]:
    for artifact, code in JUDGED:
        if ctx.runs(code):  # nothing cannot be judged of a rule that does not run
            yield from shallow_problem(ctx, artifact, code)


SL107 = Rule(
    code="SL107",
    name="approval-history-unavailable",
    gate=None,
    severity=Severity.WARNING,
    summary="SL106/SL313 cannot be judged: the history is shallow and does not reach the "
    "approval day",
    what="For an approved charter or release policy in a git repository, the history must "
    "reach back to the `approved_on` day, so that SL106 / SL313 can tell what was approved. "
    "In a shallow clone (`actions/checkout` fetches one commit by default) whose first "
    "commit of the file is after that day, they cannot: one finding per file, at "
    "`approved_on`. A shallow clone that does reach the day is judged as any other. With "
    "SL106 or SL313 switched off, nothing is said of its file. Outside a repository or "
    "without `git` there is no finding: the reports say that approval freshness was not "
    "judged, and why.",
    why="Evidence.md §7: an approval covers the content that was approved. A check that "
    "cannot see the history must say so, not pass quietly: a green Gate 1 would then mean "
    "nothing about the charter's approval.",
    fix="Fetch the whole history: in GitHub Actions `actions/checkout` with `fetch-depth: 0`; "
    "elsewhere `git fetch --unshallow`.",
    example=(
             'maintenance-charter.md:5:1: SL107 [warning] '
             'maintenance-charter.md: approved on 2026-11-12, but this '
             "clone's history is shallow and starts after that day (commit "
             '97ab6db, 2026-11-16), so whether it changed since its approval '
             '(SL106) cannot be judged; fetch the whole history: '
             '`fetch-depth: 0` for actions/checkout, `git fetch --unshallow` '
             'elsewhere\n\nWhat passes (.github/workflows/*.yml):\n'
             + "- uses: actions/checkout@v5\n  with:\n    fetch-depth: 0"),
    check=check_history,
    history=tuple(artifact for artifact, _ in JUDGED),
)

RULES = (SL107,)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)
