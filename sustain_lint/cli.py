"""The command line. Imports stay lazy: ``--version``, ``rules`` and
``explain`` never load pandas, jsonschema or markdown-it."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence

from sustain_lint import __version__

TYPE_CHECKING = False  # not typing's: importing typing costs --version 3 ms
if TYPE_CHECKING:
    from typing import Any

    from _typeshed import SupportsWrite

    from sustain_lint.config import Config
    from sustain_lint.engine import EvidenceSet, Options
    from sustain_lint.model import RunResult
    from sustain_lint.reporters import SetsPreparer

COMMANDS = ("check", "init", "rules", "explain", "schema", "coverage", "report")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


# argparse's words for a bad choice, and the choices it lists
_INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from ([^)]*)\)")
_QUOTED = re.compile(r"'([^']*)'")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        _error_line(f"sustain-lint: error: {message}{self._hint(message)}")
        raise SystemExit(EXIT_USAGE)

    def _hint(self, message: str) -> str:
        """"Did you mean" for an unknown option (``--formt``) or choice (``-f jsn``)."""
        from sustain_lint.suggest import close_match

        if message.startswith("unrecognized arguments: "):
            options = [o for action in self._actions for o in action.option_strings
                       if o.startswith("--")]
            hints = []
            for word in message.split(": ", 1)[1].split():
                if word.startswith("-"):
                    name = word.split("=", 1)[0]
                    found = close_match(name.lstrip("-"), [o[2:] for o in options])
                    if found is not None:
                        hints.append(f"{name}: did you mean --{found}?")
            return f" ({'; '.join(hints)})" if hints else ""
        choice = _INVALID_CHOICE.search(message)
        if choice:
            found = close_match(choice.group(1), _QUOTED.findall(choice.group(2)))
            if found is not None:
                return f" (did you mean '{found}'?)"
        return ""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message and file is sys.stdout:  # --help: as every report to stdout is written
            _out(message)
        else:
            super()._print_message(message, file)


_EPILOG = """\
examples:
  sustain-lint                          check the repository you are in
  sustain-lint --gate 4                 judge all four gates (the hand-over)
  sustain-lint services/ledger          one service of a monorepo
  sustain-lint -f sarif -o lint.sarif   a SARIF report for code scanning
  sustain-lint --select l2-coverage-gap rule names work wherever codes do
  sustain-lint --statistics -q          a count per rule, without the warnings
  sustain-lint --show-settings          the configuration each set gets, and from where
  sustain-lint explain SL111            what a rule checks, why, and how to fix it

other commands:
  sustain-lint init [DIR]               write the evidence files as templates
  sustain-lint rules                    the rule catalog
  sustain-lint explain CODE|NAME        one rule's documentation
  sustain-lint schema ARTIFACT|config   the JSON Schema of a file or of the configuration
  sustain-lint coverage [PATH ...]      the L2 week in UTC: who covers each hour, the gaps
  sustain-lint report A.json ... -o F   one HTML page over the JSON reports of many sets

exit codes:
  0  every judged gate passed (or --exit-zero and the run worked)
  1  a judged gate failed (or a warning, with --strict)
  2  usage or configuration error (unknown option, rule or key; bad date)
  3  internal error (a bug: rerun with --debug and report it)
"""


# the on/off options of a check run, with their help
_SWITCHES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("-q", "--quiet"), "text report: leave out the warnings (and waived findings) that fail "
     "no gate; under --strict they fail it, and are shown"),
    (("-v", "--verbose"), "say on stderr which sets, files and configuration were used, and "
     "how long each step took"),
    (("--statistics",), "print a count of findings per rule (text report; on stderr for the "
     "other formats)"),
    (("--show-settings",), "print the configuration in force for each set, with where each "
     "value came from, and exit"),
    (("--show-files",), "print the sets and files that would be checked, and exit"),
    (("--no-source",), "text report: leave out the source line and caret under each finding"),
    (("--debug",), "show the traceback of an internal error"),
)


def _check_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="sustain-lint",
        description="Check the maintenance & support evidence of a repository against "
        "Gates 1-4 of Protocol 18.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="a repository, an evidence set folder, or files inside sets "
                   "(default: the working directory, or the repository it lies in)")
    p.add_argument("--gate", type=int, choices=(1, 2, 3, 4),
                   help="judge gates 1..N only (the report still lists all four)")
    p.add_argument("--strict", action="store_true", default=None,
                   help="warnings fail their gate too")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 whenever the run itself worked (findings are still reported)")
    from sustain_lint.reporters import FORMATS_TABLE  # the table only: no reporter imported

    p.add_argument("-f", "--format", "--output-format", dest="format",
                   choices=[f.name for f in FORMATS_TABLE], default="text",
                   help="the report on stdout (or --output): "
                   + "; ".join(f"{f.name}: {f.help}" for f in FORMATS_TABLE))
    p.add_argument("-o", "--output", metavar="FILE", help="write the --format report here")
    for fmt in FORMATS_TABLE:
        if fmt.file_option:
            p.add_argument(f"--{fmt.name}-file", metavar="FILE", dest=f"{fmt.name}_file",
                           help=f"also write a {fmt.name} report ({fmt.help}) to FILE")
    p.add_argument("--select", metavar="CODES",
                   help="only these rule codes, prefixes or names, comma-separated "
                   "(SL1, SL111, l2-coverage-gap)")
    p.add_argument("--ignore", metavar="CODES",
                   help="skip these rule codes, prefixes or names, comma-separated")
    p.add_argument("--today", metavar="YYYY-MM-DD",
                   help="evaluation date for date-dependent rules (default: config, then "
                   "the local date)")
    config = p.add_mutually_exclusive_group()
    config.add_argument("--config", metavar="FILE",
                        help="one configuration file for every set (default: each set's "
                        "nearest .sustain-lint.toml or pyproject.toml with "
                        "[tool.sustain-lint], at or above its repository root)")
    config.add_argument("--isolated", action="store_true",
                        help="use no configuration file at all")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text report: auto (on a terminal, unless NO_COLOR is "
                   "set), always or never")
    for flags, text in _SWITCHES:
        p.add_argument(*flags, action="store_true", help=text)
    p.add_argument("--version", action="version", version=f"sustain-lint {__version__}",
                   help="print the version and exit")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if args == ["--version"]:  # the fast path: no engine, no rules
        try:
            sys.stdout.write(f"sustain-lint {__version__}\n")
        except BrokenPipeError:
            pass
        except OSError as exc:  # a full disk (unbuffered stdout): exit 2, one line
            from sustain_lint.writing import stdout_failed

            return stdout_failed(exc)
        return EXIT_OK
    from sustain_lint.writing import OutputError

    try:
        if args and args[0] in COMMANDS:
            command, rest = args[0], args[1:]
        else:
            command, rest = "check", args
        if command == "check":
            return _cmd_check(rest)
        if command == "rules":
            return _cmd_rules(rest)
        if command == "explain":
            return _cmd_explain(rest)
        if command == "schema":
            return _cmd_schema(rest)
        if command == "coverage":
            from sustain_lint.fleet import coverage_command

            return coverage_command(rest)
        if command == "report":
            from sustain_lint.fleet import report_command

            return report_command(rest)
        return _cmd_init(rest)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except OutputError as exc:  # a full disk, a destination refused: exit 2, one line
        return _usage_error(str(exc))
    except KeyboardInterrupt:
        sys.stderr.write("sustain-lint: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: exit 3, the traceback only on request
        if debug:
            import traceback

            traceback.print_exc()
        _error_line(
            f"sustain-lint: internal error: {type(exc).__name__}: {exc} "
            "(a bug in sustain-lint: rerun with --debug for the traceback and report it)")
        return EXIT_INTERNAL


# where the documents of a check run stay until the process ends, when it ends hard
_KEPT: list[object] | None = None


def console() -> None:  # never returns (os._exit); typing.NoReturn costs 3 ms of start-up
    """The ``sustain-lint`` command: ``main()``, then a hard exit. By then every
    report is written, closed and flushed; what is left is the interpreter's
    orderly teardown, which after a million-row register means freeing millions
    of small objects one by one (a quarter of a second), for nothing. For the
    same reason the loaded documents are kept, not freed, once the run is over
    (a tenth of a second)."""
    global _KEPT
    _KEPT = []
    code = main()
    for stream in (sys.stdout, sys.stderr):
        # not contextlib.suppress: importing it costs --version 4 ms
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away
            pass
        except OSError as exc:  # a full disk: exit 2, one line
            if stream is sys.stdout:
                from sustain_lint.writing import stdout_failed

                code = stdout_failed(exc)
    os._exit(code)


def _error_line(message: str) -> None:
    """One line on stderr. A message can quote a configuration key or value, a path or
    a folder name from the repository: control characters are shown escaped and the
    line can never be read as a GitHub workflow command (``reporters.neutral``)."""
    from sustain_lint.reporters import safe_text
    from sustain_lint.reporters.neutral import neutral_log

    sys.stderr.write(neutral_log(safe_text(message)) + "\n")


def _out(text: str, kind: str = "text") -> None:
    """Stdout, as reports go there (sustain_lint.writing): ``kind`` "json" for a JSON
    document."""
    from sustain_lint.writing import to_stdout

    to_stdout(text, kind)


def _usage_error(message: str) -> int:
    _error_line(f"sustain-lint: error: {message}")
    return EXIT_USAGE


def _cmd_check(argv: list[str]) -> int:
    import time

    from sustain_lint import writing
    from sustain_lint.config import ConfigError
    from sustain_lint.engine import UsageError, discover
    from sustain_lint.reporters import (
        BY_FORMAT,
        FORMATS_TABLE,
        ReportOptions,
        get_encoded_reporter,
        get_preparer,
        get_reporter,
    )
    from sustain_lint.rules import REGISTRY

    started = time.perf_counter()
    args = _check_parser().parse_args(argv)
    cwd = os.getcwd()
    wanted = [args.format] + [f.name for f in FORMATS_TABLE
                              if f.file_option and getattr(args, f"{f.name}_file")]
    keep_sources = any(BY_FORMAT[fmt].details for fmt in wanted)
    # the step summary shows the coverage maps, not source lines
    summary_maps = BY_FORMAT[args.format].summary and bool(os.environ.get("GITHUB_STEP_SUMMARY"))
    details = keep_sources or summary_maps
    # a format that renders each set where it is judged (html) reads its sections then,
    # not the sets' details: those come back from the workers only if another reads them
    prepare = tuple(p for p in map(get_preparer, dict.fromkeys(wanted)) if p is not None)
    report_details = summary_maps or any(
        BY_FORMAT[fmt].details and not BY_FORMAT[fmt].prepare for fmt in wanted)
    try:
        groups = _configured(args, cwd, details=details, sources=keep_sources,
                             prepare=prepare, report_details=report_details)
        if args.show_settings or args.show_files:
            for own, group in groups:
                sets = discover(group.paths, group.artifacts_dir, cwd)
                if args.show_files:
                    _out(_files_text(sets, cwd))
                if args.show_settings:
                    _out(_settings_text(sets, own, args, group, cwd))
            return EXIT_OK
        configured = time.perf_counter()
        result = _run_groups(groups)
        options = groups[0][1]
    except (ConfigError, UsageError) as exc:
        return _usage_error(str(exc))
    linted = time.perf_counter()
    if args.verbose:
        _verbose(result, options, args, cwd,
                 (configured - started, linted - configured))

    exit_code = EXIT_OK if args.exit_zero else result.exit_code
    color = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR"))
    # report files first, stdout last: a reader that closes the pipe early
    # (`sustain-lint | head`) cannot cost a report file or change the exit code
    outputs = [(f.name, getattr(args, f"{f.name}_file")) for f in FORMATS_TABLE
               if f.file_option and getattr(args, f"{f.name}_file")]
    outputs.append((args.format, args.output))
    files = [(fmt, path) for fmt, path in outputs if path is not None]
    sources = None
    if "text" in (fmt for fmt, _ in outputs) and not args.no_source:
        from sustain_lint.source import source_lines

        sources = source_lines(result, options.max_bytes)
    import shutil

    width = shutil.get_terminal_size((100, 24)).columns

    def report_options(to_stdout: bool) -> ReportOptions:
        return ReportOptions(
            exit_code=exit_code, registry=REGISTRY, color=color and to_stdout,
            quiet=args.quiet, sources=sources, width=width if to_stdout else 100,
            statistics=args.statistics)

    def render(fmt: str, to_stdout: bool) -> str:
        return get_reporter(fmt)(result, report_options(to_stdout))

    def render_file(fmt: str) -> str | bytes:
        # a format that has its report's bytes (html) writes them as they are
        encoded = get_encoded_reporter(fmt)
        return render(fmt, False) if encoded is None else encoded(result, report_options(False))

    # every destination is checked before anything is written (see writing.py)
    destinations = writing.plan([path for _, path in files], writing.evidence_of(
        (s.folder or os.path.join(cwd, s.path), s.path, s.members) for s in result.sets), cwd)
    _append_step_summary(args.format, result)
    writing.write_reports(destinations, (render_file(fmt) for fmt, _ in files))
    if args.statistics and args.format != "text":
        from sustain_lint.reporters.text import statistics_lines

        _error_line("\n".join(statistics_lines(result)))
    if args.output is None:
        writing.to_stdout(render(args.format, True), writing.escaping(args.format))
    if args.verbose:
        _error_line(f"sustain-lint: done in {time.perf_counter() - started:.2f}s")
    return exit_code


def _configured(args: argparse.Namespace, cwd: str, details: bool = False,
                sources: bool = False, prepare: tuple[SetsPreparer, ...] = (),
                report_details: bool = True) -> list[tuple[Config, Options]]:
    """The configuration of the run: the sets grouped by the configuration each takes,
    with the engine's options of each group (``details`` to ``report_details``: what the
    reports ask of the engine, see ``engine.Options``). Raises ``ConfigError``,
    ``UsageError``."""
    from sustain_lint.config import Config, load_config
    from sustain_lint.engine import default_paths, discover
    from sustain_lint.rules import REGISTRY

    known = set(REGISTRY)
    config = Config() if args.isolated else load_config(args.config, cwd, known)
    paths = args.paths or default_paths(cwd, config.artifacts_dir)
    options = _options(config, args, paths, cwd, known)
    groups = [(config, options)]
    if not (args.isolated or args.config):  # each set: its own nearest configuration
        groups = _groups(discover(options.paths, options.artifacts_dir, cwd), config,
                         options, args, cwd, known)
    if details or sources or prepare:
        import dataclasses

        groups = [(own, dataclasses.replace(group, details=details, sources=sources,
                                            prepare=prepare, report_details=report_details))
                  for own, group in groups]
    return groups


def run_checks(args: argparse.Namespace, cwd: str, details: bool = False,
               sources: bool = False) -> RunResult:
    """The run the command line asks for (``check``, ``coverage``): the configuration,
    then the engine, a run per group of sets merged. Raises ``UsageError`` for a bad
    configuration or argument."""
    from sustain_lint.config import ConfigError
    from sustain_lint.engine import UsageError

    try:
        return _run_groups(_configured(args, cwd, details=details, sources=sources))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _run_groups(groups: list[tuple[Config, Options]]) -> RunResult:
    """The engine's run of each group of sets, merged into one result."""
    from sustain_lint.engine import run
    from sustain_lint.rules import REGISTRY

    return _merged([run(group, REGISTRY, keep=_KEPT) for _, group in groups])


def _options(config: Config, args: argparse.Namespace, paths: Sequence[str], cwd: str,
             known: set[str]) -> Options:
    """The engine's options: the command line over the configuration file."""
    import datetime as dt

    from sustain_lint.config import check_codes, parse_date_arg
    from sustain_lint.engine import Options

    select = (check_codes(args.select.split(","), "--select", known)
              if args.select is not None else config.select)
    ignore = (check_codes(args.ignore.split(","), "--ignore", known)
              if args.ignore is not None else config.ignore)
    if args.today is not None:
        today = parse_date_arg(args.today, "--today")
    else:
        today = config.today or dt.date.today()
    return Options(
        paths=paths,
        gate=args.gate,
        strict=bool(args.strict) if args.strict is not None else config.strict,
        select=select,
        ignore=ignore,
        today=today,
        severity=config.severity,
        policy=config.policy,
        artifacts_dir=config.artifacts_dir,
        max_bytes=int(config.max_file_mb * 1024 * 1024),
        schedules=config.schedules,
        cwd=cwd,
        config_source=_display_path(config.source, cwd),
    )


def _groups(sets: Sequence[EvidenceSet], config: Config, options: Options,
            args: argparse.Namespace, cwd: str, known: set[str]
            ) -> list[tuple[Config, Options]]:
    """The sets grouped by the configuration each takes: the nearest one at or above
    its repository root, never above the repository's top (in a monorepo run from
    the root, ``services/ledger/.sustain-lint.toml`` governs that service). One group
    (the working directory's configuration) when every set takes that one."""
    from sustain_lint.config import Config, config_from_table, find_config

    by_source: dict[str | None, tuple[Config, list[str]]] = {}
    for s in sets:
        found = find_config(s.repo_root, cwd)
        source = found[0] if found is not None else None
        if source == config.source or (source is None and config.source is None):
            own = config
        elif source in by_source:
            own = by_source[source][0]
        else:
            own = Config() if found is None else config_from_table(
                found[1], found[0], known, section=found[2],
                shown=_display_path(found[0], cwd))
        # a set is named by its folder, or by its repository when its configuration
        # looks for sets in another folder
        path = s.folder if own.artifacts_dir == config.artifacts_dir else s.repo_root
        by_source.setdefault(own.source, (own, []))[1].append(path)
    if len(by_source) <= 1 and config.source in by_source or not by_source:
        return [(config, options)]
    return [(own, _options(own, args, paths, cwd, known))
            for own, paths in by_source.values()]


def _merged(results: list[RunResult]) -> RunResult:
    """One result of the runs of several groups of sets: the sets in path order;
    the settings naming every configuration file in force and every rule one of
    them switched off or downgraded (a gate left unjudged in one group counts)."""
    import dataclasses

    from sustain_lint.model import Settings

    if len(results) == 1:
        return results[0]
    sets = tuple(sorted((s for r in results for s in r.sets), key=lambda s: s.folder or s.path))

    def union(values: list[tuple[Any, ...]]) -> tuple[Any, ...]:
        return tuple(dict.fromkeys(v for group in values for v in group))

    settings = [r.settings for r in results]
    configs = sorted(union([(st.config or "none (the defaults)",) for st in settings]))
    merged = Settings(
        config=", ".join(configs),
        selected=union([st.selected for st in settings]) if all(
            st.selected for st in settings) else (),
        off=union([st.off for st in settings]),
        downgraded=union([st.downgraded for st in settings]),
        unjudged=tuple(sorted(set(union([st.unjudged for st in settings])))),
    )
    return dataclasses.replace(results[0], sets=sets, settings=merged,
                               strict=any(r.strict for r in results))


def _files_text(sets: Sequence[object], cwd: str) -> str:
    """--show-files: each set and the artifacts it holds (or lacks)."""
    from sustain_lint.artifacts import ARTIFACTS

    lines = []
    for s in sets:
        folder = getattr(s, "folder", "")
        lines.append(_display_path(folder, cwd) or folder)
        for art in ARTIFACTS:
            path = os.path.join(folder, art.name)
            state = "" if os.path.lexists(path) else (
                "  (missing)" if art.required else "  (optional, absent)")
            lines.append(f"  {_display_path(path, cwd)}{state}")
    return "\n".join(lines) + "\n" if lines else "No evidence set found.\n"


def _settings_text(sets: Sequence[object], config: object, args: argparse.Namespace,
                   options: object, cwd: str) -> str:
    """--show-settings: per set, every setting in force and where it came from (the
    command line, the configuration file, or the default)."""
    import dataclasses

    from sustain_lint.config import Config

    assert isinstance(config, Config)
    shown_config = _display_path(config.source, cwd)
    from_file = f"from {shown_config}" if shown_config else ""
    flags = {"select": args.select, "ignore": args.ignore, "today": args.today,
             "strict": args.strict}
    rows = []
    for field in ("artifacts_dir", "select", "ignore", "strict", "today", "max_file_mb",
                  "severity", "policy"):
        value = getattr(options, field, None)
        if field == "max_file_mb":
            value = config.max_file_mb
        elif field == "policy":
            value = {f.name: getattr(config.policy, f.name)
                     for f in dataclasses.fields(config.policy)}
        if flags.get(field) is not None:
            origin = "from the command line"
        elif field in config.given:
            origin = from_file
        elif field == "today":
            origin = "the local date (default)"
        else:
            origin = "default"
        if isinstance(value, tuple):
            value = ", ".join(value) or "(none)"
        rows.append(f"  {field} = {value}    # {origin}")
    header = f"configuration: {shown_config or 'none (the defaults)'}"
    if args.isolated:
        header += " (--isolated)"
    elif args.config:
        header += " (--config)"
    out = []
    for s in sets:
        folder = getattr(s, "folder", "")
        out.extend([_display_path(folder, cwd) or folder, "  " + header, *rows, ""])
    return "\n".join(out) if out else "No evidence set found.\n"


def _verbose(result: RunResult, options: object, args: argparse.Namespace, cwd: str,
             times: tuple[float, float]) -> None:
    """-v: on stderr, the configuration, the sets and files checked, the timings."""
    config = getattr(options, "config_source", None)
    lines = [f"sustain-lint {__version__}: configuration "
             f"{config or ('none (--isolated)' if args.isolated else 'none (the defaults)')}; "
             f"today {result.today}; gates judged 1-{result.judged_gate}"]
    for s in result.sets:
        counted = {f.artifact for f in s.findings}
        lines.append(f"sustain-lint: set {s.path}: {len(s.findings)} finding(s) in "
                     f"{len(counted)} file(s)")
    lines.append(f"sustain-lint: configuration read in {times[0]:.3f}s, "
                 f"{len(result.sets)} set(s) checked in {times[1]:.3f}s")
    for line in lines:
        _error_line(line)


def _display_path(path: str | None, cwd: str) -> str | None:
    """A configuration file as reports name it: relative to the working directory
    (the same in every checkout), POSIX separators."""
    if path is None:
        return None
    try:
        shown = os.path.relpath(os.path.abspath(path), cwd)
    except ValueError:  # another drive
        shown = os.path.abspath(path)
    return shown.replace(os.sep, "/")


def _append_step_summary(fmt: str, result: RunResult) -> None:
    """The format's part of the GitHub job summary, when the runner asks for one
    (``GITHUB_STEP_SUMMARY``): reporters only format, the CLI writes."""
    from sustain_lint.reporters import STEP_SUMMARY_BYTES, get_summary_writer

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    writer = get_summary_writer(fmt)
    if not path or writer is None:
        return
    try:
        used = os.path.getsize(path)  # what earlier commands of the step wrote count too
    except OSError:
        used = 0
    text = writer(result, STEP_SUMMARY_BYTES - used - 1)  # and the closing newline
    if not text:
        _error_line("sustain-lint: no room left for the job summary in GITHUB_STEP_SUMMARY "
                    f"(GitHub keeps at most {STEP_SUMMARY_BYTES} bytes a step)")
        return
    try:
        with open(path, "a", encoding="utf-8", newline="\n") as fh:
            fh.write(text + "\n")
    except OSError as exc:
        _error_line(f"sustain-lint: cannot append to GITHUB_STEP_SUMMARY: {exc}")


def _cmd_rules(argv: list[str]) -> int:
    p = _Parser(prog="sustain-lint rules", description="List the rule catalog.")
    p.add_argument("-f", "--format", "--output-format", dest="format",
                   choices=("text", "json", "markdown"), default="text",
                   help="text (one line a rule), json, or markdown (docs/rules.md)")
    args = p.parse_args(argv)
    from sustain_lint import ruledocs

    _out(ruledocs.render_catalog(args.format), "json" if args.format == "json" else "text")
    return EXIT_OK


def _cmd_explain(argv: list[str]) -> int:
    p = _Parser(prog="sustain-lint explain",
                description="What a rule checks, why, how to fix it, and an example.")
    p.add_argument("code", metavar="CODE|NAME", help="a rule code (SL111) or name "
                   "(l2-coverage-gap)")
    args = p.parse_args(argv)
    from sustain_lint import ruledocs
    from sustain_lint.suggest import did_you_mean

    found = ruledocs.catalog_entry(args.code)  # the generated catalog: no rule imported
    if found is None:
        entries = ruledocs.catalog_entries()
        starts = [e["code"] for e in entries if e["code"].startswith(args.code.strip().upper())]
        if args.code.strip() and starts:
            return _usage_error(f"'{args.code}' is a prefix of several rules: explain one of "
                                f"{', '.join(starts)}")
        hint = did_you_mean(args.code.upper(), [e["code"] for e in entries], "'")
        hint = hint or did_you_mean(args.code.lower(), [e["name"] for e in entries], "'")
        return _usage_error(f"unknown rule code or name '{args.code}'{hint} "
                            "(see `sustain-lint rules`)")
    _out(ruledocs.explain_entry(found))
    return EXIT_OK


def _cmd_schema(argv: list[str]) -> int:
    from sustain_lint.artifacts import ARTIFACTS

    with_schema = {a.name: a for a in ARTIFACTS if a.schema and a.schema.endswith(".json")
                   and not a.schema.endswith(".csv.json")}
    p = _Parser(prog="sustain-lint schema",
                description="Print the JSON Schema of a JSON/YAML artifact (or of a Markdown "
                "artifact's front matter), or of the configuration, for editors.")
    p.add_argument("artifact", metavar="ARTIFACT|config",
                   help="config, or one of: " + ", ".join(sorted(with_schema)))
    args = p.parse_args(argv)
    from sustain_lint.schemas import schema_text

    if args.artifact == "config":  # [tool.sustain-lint] / .sustain-lint.toml
        from sustain_lint.config import CONFIG_SCHEMA

        _out(schema_text(CONFIG_SCHEMA), "json")
        return EXIT_OK
    name = os.path.basename(args.artifact)
    if name not in with_schema:
        return _usage_error(f"no JSON Schema for '{args.artifact}'; choose config or one of: "
                            + ", ".join(sorted(with_schema)))
    schema = with_schema[name].schema
    assert schema is not None
    _out(schema_text(schema), "json")
    return EXIT_OK


def _cmd_init(argv: list[str]) -> int:
    p = _Parser(prog="sustain-lint init",
                description="Write every required evidence file as a template; never overwrites.")
    p.add_argument("directory", nargs="?", default=".", metavar="DIR",
                   help="the repository (default: .); files go to DIR/.artifacts/maintenance")
    args = p.parse_args(argv)
    from sustain_lint import scaffold

    return scaffold.init(args.directory)
