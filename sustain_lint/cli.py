"""The command line. Imports stay lazy: ``--version``, ``rules`` and
``explain`` never load pandas, jsonschema or markdown-it."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sustain_lint import __version__

TYPE_CHECKING = False  # not typing's: importing typing costs --version 3 ms
if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from sustain_lint.model import RunResult

COMMANDS = ("check", "init", "rules", "explain", "schema")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        _error_line(f"sustain-lint: error: {message}")
        raise SystemExit(EXIT_USAGE)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message and file is sys.stdout:  # --help: as every report to stdout is written
            _out(message)
        else:
            super()._print_message(message, file)


def _check_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="sustain-lint",
        description="Check the maintenance & support evidence of a repository against "
        "Gates 1-4 of Protocol 18.",
        epilog="Other commands: sustain-lint init [DIR] | rules | explain CODE | "
        "schema ARTIFACT|config. Exit codes: 0 passed, 1 a gate failed, 2 usage error, "
        "3 internal error.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="a repository, an evidence set folder, or files inside sets "
                   "(default: .)")
    p.add_argument("--gate", type=int, choices=(1, 2, 3, 4),
                   help="judge gates 1..N only (the report still lists all four)")
    p.add_argument("--strict", action="store_true", default=None,
                   help="warnings fail their gate too")
    from sustain_lint.reporters import FORMATS_TABLE  # the table only: no reporter imported

    p.add_argument("--format", choices=[f.name for f in FORMATS_TABLE], default="text",
                   help="the report on stdout (or --output): "
                   + "; ".join(f"{f.name}: {f.help}" for f in FORMATS_TABLE))
    p.add_argument("--output", metavar="FILE", help="write the --format report here")
    for fmt in FORMATS_TABLE:
        if fmt.file_option:
            p.add_argument(f"--{fmt.name}-file", metavar="FILE", dest=f"{fmt.name}_file",
                           help=f"also write a {fmt.name} report ({fmt.help}) to FILE")
    p.add_argument("--select", metavar="CODES",
                   help="only these rule codes or prefixes, comma-separated (SL1, SL111)")
    p.add_argument("--ignore", metavar="CODES", help="skip these rule codes or prefixes")
    p.add_argument("--today", metavar="YYYY-MM-DD",
                   help="evaluation date for date-dependent rules (default: config, then "
                   "the local date)")
    config = p.add_mutually_exclusive_group()
    config.add_argument("--config", metavar="FILE",
                        help="configuration file (default: the nearest .sustain-lint.toml or "
                        "pyproject.toml with [tool.sustain-lint], up to the repository's top)")
    config.add_argument("--isolated", action="store_true",
                        help="use no configuration file at all")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument("--quiet", action="store_true",
                   help="text report: errors only, no waived findings or warnings")
    p.add_argument("--debug", action="store_true",
                   help="show the traceback of an internal error")
    p.add_argument("--version", action="version", version=f"sustain-lint {__version__}")
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
    import datetime as dt

    from sustain_lint import writing
    from sustain_lint.config import Config, ConfigError, check_codes, load_config, parse_date_arg
    from sustain_lint.engine import Options, UsageError, run
    from sustain_lint.reporters import FORMATS_TABLE, ReportOptions, get_reporter
    from sustain_lint.rules import REGISTRY

    args = _check_parser().parse_args(argv)
    cwd = os.getcwd()
    known = set(REGISTRY)
    try:
        config = Config() if args.isolated else load_config(args.config, cwd, known)
        select = (check_codes(args.select.split(","), "--select", known)
                  if args.select is not None else config.select)
        ignore = (check_codes(args.ignore.split(","), "--ignore", known)
                  if args.ignore is not None else config.ignore)
        if args.today is not None:
            today = parse_date_arg(args.today, "--today")
        else:
            today = config.today or dt.date.today()
        options = Options(
            paths=args.paths or ["."],
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
        result = run(options, REGISTRY, keep=_KEPT)
    except (ConfigError, UsageError) as exc:
        return _usage_error(str(exc))

    exit_code = result.exit_code
    color = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR"))
    # report files first, stdout last: a reader that closes the pipe early
    # (`sustain-lint | head`) cannot cost a report file or change the exit code
    outputs = [(f.name, getattr(args, f"{f.name}_file")) for f in FORMATS_TABLE
               if f.file_option and getattr(args, f"{f.name}_file")]
    outputs.append((args.format, args.output))
    files = [(fmt, path) for fmt, path in outputs if path is not None]

    def render(fmt: str, to_stdout: bool) -> str:
        return get_reporter(fmt)(result, ReportOptions(
            exit_code=exit_code, registry=REGISTRY, color=color and to_stdout,
            quiet=args.quiet))

    # every destination is checked before anything is written (see writing.py)
    destinations = writing.plan([path for _, path in files], writing.evidence_of(
        (s.folder or os.path.join(cwd, s.path), s.path) for s in result.sets), cwd)
    _append_step_summary(args.format, result)
    writing.write_reports(destinations, (render(fmt, False) for fmt, _ in files))
    if args.output is None:
        writing.to_stdout(render(args.format, True), writing.escaping(args.format))
    return exit_code


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
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    args = p.parse_args(argv)
    from sustain_lint import ruledocs

    _out(ruledocs.render_catalog(args.format), "json" if args.format == "json" else "text")
    return EXIT_OK


def _cmd_explain(argv: list[str]) -> int:
    p = _Parser(prog="sustain-lint explain",
                description="What a rule checks, why, how to fix it, and an example.")
    p.add_argument("code", metavar="CODE")
    args = p.parse_args(argv)
    from sustain_lint import ruledocs

    found = ruledocs.catalog_entry(args.code)  # the generated catalog: no rule imported
    if found is None:
        return _usage_error(f"unknown rule code '{args.code}' (see `sustain-lint rules`)")
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
