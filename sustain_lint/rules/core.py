"""SL001-SL004: the file-level rules. The engine produces these findings
while it loads each artifact; there is no check function."""

from __future__ import annotations

from sustain_lint.model import Rule, Severity

SL001 = Rule(
    code="SL001",
    name="artifact-missing",
    gate=None,
    severity=Severity.ERROR,
    summary="A required evidence file is absent",
    what="Each of the twelve evidence files of the set exists in the set folder "
    "(`.artifacts/maintenance/` by default). The finding is attributed to the gate that "
    "requires the file.",
    why="Protocol 18's gate criteria list all twelve artifacts; a gate cannot pass on "
    "evidence that does not exist. Tools that only look for files are easy to satisfy with "
    "placeholders, so the other rules judge the content too.",
    fix="Create the file with the content the protocol step asks for. `sustain-lint init` "
    "writes a schema-valid template for every missing file (it never overwrites one).",
    example=("runbook-index.json: SL001 [error] runbook-index.json is missing"
             " (Gate 2, step 2.1 MUST); create it in .artifacts/maintenance/"
             " (`sustain-lint init` writes a template)\n"
             "\n"
             "What passes:\n")
            + "$ sustain-lint init .\ncreated .artifacts/maintenance/runbook-index.json",
)

SL002 = Rule(
    code="SL002",
    name="artifact-unreadable",
    gate=None,
    severity=Severity.ERROR,
    summary="An evidence file cannot be decoded or parsed",
    what="The file is UTF-8 text (a BOM is tolerated) that parses as its format: JSON, YAML "
    "(one document, no custom tags, bounded nesting and aliases), CSV (every row with one "
    "cell per header column) or Markdown with well-formed front matter. It is a regular file "
    "inside the repository and under the size limit (`max_file_mb`). A file that fails here "
    "gets no content findings.",
    why="Evidence nobody can read proves nothing: a reviewer's tools, and this one, must be "
    "able to parse it. A link out of the repository or an oversized file is refused rather "
    "than followed.",
    fix="Fix the syntax error at the reported line, save as UTF-8, quote CSV cells that "
    "contain commas, or replace a link with the file itself.",
    example=("support-workflow.yaml:21:5: SL002 [error] support-workflow.yaml"
             " is not valid YAML: while parsing a flow mapping, did not find"
             " expected ',' or '}'"),
)

SL003 = Rule(
    code="SL003",
    name="schema-violation",
    gate=None,
    severity=Severity.ERROR,
    summary="Structure, type or allowed value violates the file's schema",
    what="JSON and YAML artifacts and Markdown front matter are validated against the JSON "
    "Schemas shipped in the package (`sustain-lint schema ARTIFACT` prints one); CSV files "
    "against their column shapes: required columns, required cells, enumerations, dates "
    "(YYYY-MM-DD), numbers, coverage windows and IANA timezones. Extra keys and columns are "
    "allowed. A coverage cell's finding points at the offending character and its column "
    "(an en dash in `09:00–17:00`, `11am`, `9-5`, a time zone after the times) and names the "
    "cell to write; `on demand` or `on-call as needed` asks for an empty cell.",
    why="The protocol's later checks (coverage, routing, approvals) rely on well-formed "
    "evidence; a misspelt status or a date written as 'next Friday' must be caught where it "
    "is written.",
    fix="Write the value the message asks for at the reported place: the key, the CSV cell "
    "(row and column), or the front matter key.",
    example=("runbook-index.json:5:53: SL003 [error] runbook-index.json: `runbooks[1].type`"
             " is 'runbook'; write one of: deployment, rollback, incident, "
             "maintenance, other"),
)

SL004 = Rule(
    code="SL004",
    name="duplicate-key",
    gate=None,
    severity=Severity.ERROR,
    summary="A key appears twice in a mapping, or a CSV header repeats a column",
    what="No JSON object, YAML mapping or front matter repeats a key, and no CSV header "
    "repeats a column name.",
    why="With a duplicate, one value silently wins: a reviewer reads the first, a parser "
    "keeps the last. Evidence must say one thing.",
    fix="Keep one of the two keys (or columns) and delete or rename the other.",
    example=("tooling-access-checklist.json:5:87: SL004 [error] duplicate key"
             " \"access\" (first at line 5); keep one of them"),
)

RULES = (SL001, SL002, SL003, SL004)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)
