"""SL003: structure, types and enumerations of each artifact, against its
schema in ``sustain_lint/schemas``. Validators are compiled once per run."""

from __future__ import annotations

import contextlib
import functools
import heapq
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from sustain_lint.documents import CsvDocument, MarkdownDocument, TreeDocument
from sustain_lint.limits import MAX_BUILT, more
from sustain_lint.model import Location, Problem
from sustain_lint.schemas import load_schema

if TYPE_CHECKING:
    from sustain_lint.schema_check import Check

_TYPE_NAMES = {
    "string": "a string", "integer": "a whole number", "number": "a number",
    "boolean": "true or false", "object": "a mapping of keys to values",
    "array": "a list", "null": "empty",
}


def _found(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value) if value else "an empty string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def field_name(path: list[str | int]) -> str:
    if not path:
        return "the document"
    out = ""
    for tok in path:
        if isinstance(tok, int):
            out += f"[{tok}]"
        else:
            out += ("." if out else "") + tok
    return f"`{out}`"


@cache
def _validator(schema_name: str) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker

    schema = load_schema(schema_name)
    inlined = inline_refs(schema, schema.get("$defs", {}))
    return Draft202012Validator(inlined, format_checker=FormatChecker(formats=["date"]))


@cache
def _quick_check(schema_name: str) -> Check | None:
    """The compiled yes/no check of ``_validator(schema_name)`` (see schema_check),
    or None when the schema cannot be compiled exactly."""
    from sustain_lint.schema_check import compile_check

    validator = _validator(schema_name)
    return compile_check(validator.schema, validator)


def inline_refs(node: Any, defs: dict[str, Any], within: tuple[str, ...] = ()) -> Any:
    """``node`` with each bare ``{"$ref": "#/$defs/NAME"}`` replaced by that
    definition: the same validation and the same errors (an error raised inside
    a reference carries the definition as its schema either way), without
    jsonschema resolving the reference for every value it checks (a fifth of
    the validation time). A reference with other keywords beside it, to
    anything but a local definition, or to a definition being inlined (a
    cycle) stays a reference."""
    if isinstance(node, list):
        return [inline_refs(item, defs, within) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if (len(node) == 1 and isinstance(ref, str) and ref.startswith("#/$defs/")
            and ref[8:] in defs and ref[8:] not in within):
        return inline_refs(defs[ref[8:]], defs, (*within, ref[8:]))
    return {key: value if key == "$defs" else inline_refs(value, defs, within)
            for key, value in node.items()}


def _error_message(error: Any) -> tuple[list[str | int], str]:
    path: list[str | int] = list(error.absolute_path)
    what = field_name(path)
    kind = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        where = "at the top level" if not path else f"in {what}"
        return path, f"missing required key '{missing}' {where}; add it"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return path, f"{what} is {_found(value)}; write one of: {allowed}"
    if kind == "type":
        types = error.validator_value
        types = [types] if isinstance(types, str) else list(types)
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in types if t != "null") or "empty"
        return path, f"{what} should be {wanted}, not {_found(value)}"
    if kind in ("anyOf", "oneOf", "pattern", "format", "const"):
        description = schema.get("description")
        if description is None and "$ref" in schema:
            description = None
        if description:
            return path, f"{what} is {_found(value)}; expected {description[0].lower()}{description[1:]}"
        if kind == "oneOf":
            return path, f"{what} should be a string or a list of strings, not {_found(value)}"
        if kind == "format":
            return path, f"{what} is {_found(value)}, not a valid {error.validator_value}"
        return path, f"{what} is {_found(value)}, which is not allowed here"
    if kind == "minLength":
        return path, f"{what} is empty; write a value"
    if kind == "propertyNames":
        return path, f"{what} has a key {_found(value)} that is not allowed: {error.message}"
    return path, f"{what}: {error.message}"


def validate_tree(doc: TreeDocument, schema_name: str, artifact: str,
                  label: str | None = None) -> Iterator[Problem]:
    quick = _quick_check(schema_name)
    if quick is not None:
        with contextlib.suppress(RecursionError):  # jsonschema below reports it
            if quick(doc.data):
                return
    validator = _validator(schema_name)
    try:
        # at most MAX_BUILT errors, and one more to say there are others (never all of
        # 300,000: building them took 18 s and 1.3 GB)
        errors = list(itertools.islice(validator.iter_errors(doc.data), MAX_BUILT + 1))
    except RecursionError:
        yield Problem(artifact, "nests too deeply to be checked; flatten it", Location(1, 1),
                      code="SL003")
        return
    from sustain_lint.documents import pointer

    beyond = errors[MAX_BUILT:]
    errors = sorted(errors[:MAX_BUILT], key=lambda e: list(map(str, e.absolute_path)))

    seen: set[tuple[str, ...]] = set()
    missing: dict[tuple[str | int, ...], list[str]] = {}  # object path -> missing keys
    problems: list[tuple[tuple[str, ...], Problem]] = []
    for error in errors:
        if error.validator == "required":
            key_name = error.message.split("'")[1] if "'" in error.message else error.message
            missing.setdefault(tuple(error.absolute_path), []).append(key_name)
            continue
        key = tuple(map(str, error.absolute_path))
        if key in seen:
            continue  # one finding per value (a bad date fails pattern and format)
        seen.add(key)
        path, message = _error_message(error)
        problems.append((key, _located(doc, pointer(*path), message, artifact, label)))
    for obj_path, keys in missing.items():
        what = "the top level" if not obj_path else field_name(list(obj_path))
        plural = "s" if len(keys) > 1 else ""
        message = (f"{what} lacks the required key{plural} "
                   f"{', '.join(repr(k) for k in keys)}; add {'them' if plural else 'it'}")
        problems.append((tuple(map(str, obj_path)),
                         _located(doc, pointer(*obj_path), message, artifact, label)))
    problems.sort(key=lambda item: (item[1].location.line or 0, item[1].location.column or 0,
                                    item[0]))
    for _, problem in problems:
        yield problem
    if beyond:  # checking stopped: the others are not counted
        where = _located(doc, pointer(*beyond[0].absolute_path), "", artifact, label).location
        yield more(artifact, "SL003", None, where)


def _located(doc: TreeDocument, ptr: str, message: str, artifact: str,
             label: str | None) -> Problem:
    loc = doc.locate(ptr)
    if label:
        message = f"{label}: {message}"
        loc = loc._replace(logical=f"{label} {loc.logical}")
    return Problem(artifact, f"{artifact}: {message}", loc, code="SL003")


def validate_front_matter(doc: MarkdownDocument, schema_name: str,
                          artifact: str) -> Iterator[Problem]:
    if doc.front_matter is None:
        required = load_schema(schema_name).get("required", [])
        keys = ", ".join(f"{k}:" for k in required)
        yield Problem(
            artifact,
            f"{artifact} has no YAML front matter; start the file with a block between two "
            f"--- lines "
            f"holding {keys}",
            Location(1, 1, "front matter"),
            code="SL003",
        )
        return
    yield from validate_tree(doc.front_matter, schema_name, artifact, label="front matter")


# --- CSV ---------------------------------------------------------------------------------

def validate_csv_many(docs: list[CsvDocument], schema_name: str,
                      artifact: str) -> list[list[Problem]]:
    """SL003 for several CSV files of one kind (one per set). Every check
    judges one trimmed cell, so each column is judged on its distinct values,
    gathered over all the files (a million-row register holds a few thousand
    distinct dates and five statuses), and the verdicts go back to the rows."""
    shape = load_schema(schema_name)
    columns: dict[str, dict[str, Any]] = shape["columns"]
    problems: list[list[Problem]] = [[] for _ in docs]
    for index, doc in enumerate(docs):
        missing = [name for name in columns if name not in doc.columns]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            problems[index].append(Problem(
                artifact,
                f"{artifact}: the header lacks the column{plural} {', '.join(missing)}; add "
                f"{'them' if plural else 'it'} (the columns are: {', '.join(columns)})",
                doc.header_location(),
                code="SL003",
            ))
    # the distinct values of each checked column over all the files
    values: dict[str, list[str]] = {}
    for name, spec in columns.items():
        if _has_checks(spec):
            each = [doc.distinct(name).values for doc in docs
                    if name in doc.columns and doc.row_count]
            # one file (a big register is often alone) needs no union
            values[name] = each[0] if len(each) == 1 else list(dict.fromkeys(
                itertools.chain.from_iterable(each)))
    verdicts = _failing_values(values, {name: columns[name] for name in values})
    order = {name: i for i, name in enumerate(columns)}
    for index, doc in enumerate(docs):
        cells: list[tuple[int, int, str, str]] = []  # row, column order, column, check
        for name, failing in verdicts.items():
            if name in doc.columns and doc.row_count:
                cells.extend((row, order[name], name, check)
                             for row, check in _failing_rows(doc, name, failing))
        # the first MAX_BUILT cells are built, the others counted (a million bad cells
        # would each cost a message and a location)
        first = heapq.nsmallest(MAX_BUILT + 1, cells)
        for row, _, name, check in first[:MAX_BUILT]:
            value = doc.columns[name][row]
            message, at = _cell_message(row, name, value, columns[name], check)
            problems[index].append(Problem(
                artifact, f"{artifact}: {message}",
                doc.char_location(row, name, at) if at else doc.cell_location(row, name),
                code="SL003"))
        if len(cells) > MAX_BUILT:
            row, _, name, _ = first[MAX_BUILT]
            problems[index].append(more(artifact, "SL003", len(cells) - MAX_BUILT,
                                        doc.cell_location(row, name)))
    return problems


def _failing_rows(doc: CsvDocument, name: str, failing: dict[str, str]
                  ) -> Iterator[tuple[int, str]]:
    """(row, the check its value fails) of each row whose value is in ``failing``."""
    found = doc.distinct(name)
    for row in doc.rows_where({name: failing.__contains__}):
        yield row, failing[found.values[found.codes[row]]]


@cache
def checked_columns(schema_name: str) -> tuple[str, ...]:
    """The columns of a CSV shape whose cells SL003 reads (those with a check);
    asked for by every batch of sets, so read from the schema once."""
    return tuple(name for name, spec in load_schema(schema_name)["columns"].items()
                 if _has_checks(spec))


def _has_checks(spec: dict[str, Any]) -> bool:
    return bool(spec.get("required")) or "enum" in spec or spec.get("type", "text") != "text"


@contextlib.contextmanager
def _without_hypothesis() -> Iterator[None]:
    """pandera registers its built-in checks on the first validation and, on the
    way, imports hypothesis (for data synthesis, which a linter never uses) when it
    is installed: a quarter of a second of start-up. Hide it while pandera
    registers; a process that already imported hypothesis is left alone."""
    if "hypothesis" in sys.modules:
        yield
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]


# a column with more distinct values than this is judged in a frame of its own; the others
# share one, each padded to the longest with empty (NA) cells, which the checks skip
_SHARED_FRAME_MAX = 4096


def _failing_values(values: dict[str, list[str]], specs: dict[str, dict[str, Any]]
                    ) -> dict[str, dict[str, str]]:
    """For each column, its values that fail a check, with the name of the
    first check they fail (pandera judges them, a frame at a time).

    A column whose values all pass every check is answered without pandera:
    ``_passes`` runs the very same tests (see ``_cell_checks``) and says only
    yes or no; pandera runs for the columns it says no to. A valid table thus
    never imports pandera (a quarter of a second) nor builds frames for it."""
    suspects = {name: column for name, column in values.items()
                if column and not _passes(column, _cell_checks(_spec_key(specs[name])))}
    if not suspects:
        return {}
    import pandas as pd

    with _without_hypothesis():
        import pandera.pandas as pa

    shared = [name for name, column in suspects.items() if len(column) <= _SHARED_FRAME_MAX]
    frames = [shared] if shared else []
    frames += [[name] for name, column in suspects.items() if len(column) > _SHARED_FRAME_MAX]
    verdicts: dict[str, dict[str, str]] = {}
    for names in frames:
        frame = pd.DataFrame({name: pd.Series(suspects[name], dtype=object) for name in names})
        schema = _frame_schema(tuple((name, _spec_key(specs[name])) for name in names))
        with _without_hypothesis():
            try:
                schema.validate(frame, lazy=True)
                continue
            except pa.errors.SchemaErrors as exc:
                cases = exc.failure_cases
        for record in cases.itertuples(index=False):
            column = getattr(record, "column", None)
            row = getattr(record, "index", None)
            if column not in specs or row is None or pd.isna(row):
                continue
            column_values = suspects[str(column)]
            if int(row) < len(column_values):
                verdicts.setdefault(str(column), {}).setdefault(
                    column_values[int(row)], str(getattr(record, "check", "")))
    return verdicts


def _spec_key(spec: dict[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True)


def _passes(values: list[str], checks: tuple[CellCheck, ...]) -> bool:
    """Whether every value passes every check, each test run as pandera runs
    it (an element-wise one on each value, a vectorised one on a Series, unless
    its ``surely`` holds for every value). A test that raises is a no: pandera
    then judges the column as before."""
    try:
        for check in checks:
            if check.element_wise:
                if not all(map(check.test, values)):
                    return False
            elif check.surely is None or not all(map(check.surely, values)):
                import pandas as pd

                if not bool(check.test(pd.Series(values, dtype=object)).all()):
                    return False
    except Exception:
        return False
    return True


@functools.cache
def _frame_schema(columns: tuple[tuple[str, str], ...]) -> Any:
    """The pandera schema of some columns of a CSV shape, built once per run."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {name: pa.Column(checks=[pa.Check(check.test, element_wise=check.element_wise,
                                          name=check.name)
                                 for check in _cell_checks(spec)],
                         nullable=True, required=False, coerce=False)
         for name, spec in columns},
        strict=False,
    )


class CellCheck(NamedTuple):
    """One check of a CSV column. ``test`` takes one trimmed cell
    (``element_wise``) or a pandas Series of them, and says which pass.
    ``surely``, for a vectorised test: a test of one cell that holds only for
    cells ``test`` passes, so a column whose every cell it holds for needs
    neither pandas (0.4 s to import) nor the test."""

    name: str
    test: Callable[[Any], Any]
    element_wise: bool
    surely: Callable[[str], object] | None = None


@functools.cache
def _cell_checks(spec_key: str) -> tuple[CellCheck, ...]:
    """The checks of one column (its spec as JSON); each judges a trimmed cell
    (the values are distinct, so the element-wise ones run once per value)."""
    from sustain_lint import coverage
    from sustain_lint.values import parse_date

    spec = json.loads(spec_key)
    checks = []
    if spec.get("required"):
        checks.append(CellCheck("required", bool, True))  # a str is true when not empty
    if "enum" in spec:
        checks.append(CellCheck("enum", frozenset([*spec["enum"], ""]).__contains__, True))
    kind = spec.get("type", "text")
    if kind == "date":
        checks.append(CellCheck("date", lambda v: v == "" or parse_date(v) is not None, True))
    elif kind == "number":
        def number_ok(s: Any) -> Any:
            import pandas as pd

            nums = pd.to_numeric(s, errors="coerce")
            return (s == "") | (nums >= 0)

        # a plain decimal is a number of 0 or more to pandas too (ASCII digits: `\d` would
        # take other scripts' digits, which pandas does not read)
        plain = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?").fullmatch
        checks.append(CellCheck("number", number_ok, False, plain))
    elif kind == "coverage":
        def coverage_ok(v: str) -> bool:
            try:
                coverage.parse_coverage(v)
            except coverage.CoverageError:
                return False
            return True

        checks.append(CellCheck("coverage", coverage_ok, True))
    elif kind == "timezone":
        checks.append(CellCheck("timezone", coverage.valid_timezone, True))
    return tuple(checks)


def _cell_message(row: int, column: str, value: str, spec: dict[str, Any],
                  check: str) -> tuple[str, int]:
    """The message of a failing cell, and the index in the cell's value of the
    character the finding points at (0: the cell's start)."""
    where = f"row {row + 1}, column {column}"
    shown = repr(value.strip())
    if not value.strip():
        return f"{where} is empty; write a value", 0
    if "enum" in spec and spec.get("type", "text") == "text":
        return f"{where} is {shown}; write one of: {', '.join(spec['enum'])}", 0
    kind = spec.get("type", "text")
    if kind == "date":
        return f"{where} is {shown}, not a date; write YYYY-MM-DD", 0
    if kind == "number":
        return f"{where} is {shown}; write a number of 0 or more (e.g. 1 or 0.5)", 0
    if kind == "coverage":
        from sustain_lint import coverage

        hint = coverage.coverage_hint(value)
        if hint is not None:
            return f"{where}, {hint.message}", hint.at
        return f"{where} is {shown}; write {coverage.COVERAGE_HELP}", 0
    if kind == "timezone":
        return f"{where} is {shown}, not an IANA timezone; write e.g. Europe/Berlin or UTC", 0
    return f"{where} is {shown} ({check})", 0
