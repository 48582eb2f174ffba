"""The ``lowback`` command: triage, replay, score a measure, a journal store, rules, schemas, a demo.

Human-readable text by default; ``--json`` writes the wire contract
(:mod:`lowback.wire`). Input comes from a file or from ``-``
(standard input).

Exit codes: 0 done, 2 bad usage (also an input that cannot be read or an
output that cannot be written), 3 invalid input. On invalid input every
problem is written to standard error as ``path: code (detail)`` and nothing
is written to standard output; the input's values are never repeated.

The command never prints a Python traceback for a fault of its
surroundings: a closed standard input, a closed or full standard output
(exit 2 with a one-line message), a reader that stops early (``lowback rules
| head -1``: exit 2 without a message, the rest of the output sent to the
null device as the Python documentation's note on ``SIGPIPE`` advises) or a
closed standard error (the message is dropped, the exit code stays). A bug in lowback itself is not hidden: it surfaces as Python's own
traceback and exit 1, which is none of the documented codes.

>>> main(["schema", "Dose"])  # doctest: +ELLIPSIS
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
...
0
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import wire
from ._version import __version__
from .catalog.events import Journal
from .catalog.intake import Intake
from .catalog.outcomes import Measure
from .catalog.rule_ids import PR_TIME
from .catalog.rules import RULES, Check, CheckOutcome, FactValue, FiredRule
from .engine.gates import ADVANCE_CRITERIA, GATES
from .errors import InvalidInput

if TYPE_CHECKING:
    from .engine.outcomes import ScoreReport
    from .engine.plan import Decision, PlanState
    from .engine.triage import TriageResult

__all__ = ["EXIT_INVALID_INPUT", "EXIT_OK", "EXIT_USAGE", "main"]

#: The command did what was asked.
EXIT_OK = 0
#: The command line was wrong, the input could not be read, or the output
#: could not be written (standard output closed, full, or its reader gone).
EXIT_USAGE = 2
#: The input was read but refused: its problems are on standard error.
EXIT_INVALID_INPUT = 3


class _UsageError(Exception):
    """A usage problem found after argument parsing (an unreadable file)."""


def _read(source: str) -> bytes:
    """Read at most one byte more than the wire limit from *source* or stdin."""
    limit = wire.MAX_DOCUMENT_CHARS + 1
    if source == "-":
        return _read_stdin(limit)
    try:
        with Path(source).open("rb") as handle:
            return handle.read(limit)
    except OSError as err:
        msg = f"cannot read {source}: {err.strerror or 'error'}"
        raise _UsageError(msg) from None


def _read_stdin(limit: int) -> bytes:
    """Read standard input as bytes; a closed or unreadable one is a usage error."""
    stream = sys.stdin
    if stream is None:  # the process was started with descriptor 0 closed
        msg = "cannot read standard input: it is closed"
        raise _UsageError(msg)
    try:
        binary = getattr(stream, "buffer", None)
        if binary is not None:
            data: bytes = binary.read(limit)
            return data
        return stream.read(limit).encode("utf-8")  # a text-only stand-in
    except OSError as err:  # e.g. `< /`: a directory
        msg = f"cannot read standard input: {err.strerror or 'error'}"
        raise _UsageError(msg) from None
    except ValueError:  # closed by the caller, or text that is not UTF-8
        msg = "cannot read standard input: it is closed or not text"
        raise _UsageError(msg) from None


def _say(text: str) -> None:
    """Write *text* to standard error; if that fails, the message is dropped.

    A closed or full standard error must not turn a clean exit code into a
    traceback, and there is nowhere else to report.
    """
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        _silence(stream)


def _silence(stream: TextIO) -> None:
    """Point *stream*'s descriptor at the null device.

    Python flushes the standard streams again when it exits; without this,
    the bytes still buffered after a failed write fail again there (a
    message on stderr and exit status 120). This is the remedy the Python
    documentation gives for a broken pipe (the note on SIGPIPE in
    :mod:`signal`).
    """
    try:
        fd = stream.fileno()
    except (OSError, ValueError):  # not a real file (a test's StringIO)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _emit(text: str) -> int:
    """Write *text* to standard output and flush it; return the exit code.

    A reader that stopped early (a broken pipe) ends the command quietly,
    as Unix tools do; a closed or full output is reported in one line.
    Either way the exit code is :data:`EXIT_USAGE`: the output did not all
    reach its reader, and a script must not take that for success.
    """
    stream = sys.stdout
    if stream is None:  # the process was started with descriptor 1 closed
        _say("lowback: cannot write standard output: it is closed\n")
        return EXIT_USAGE
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        _silence(stream)
        return EXIT_USAGE
    except OSError as err:  # e.g. `> /dev/full`
        _silence(stream)
        _say(f"lowback: cannot write standard output: {err.strerror or 'error'}\n")
        return EXIT_USAGE
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "its encoding"
        _say(
            f"lowback: cannot write standard output: {encoding} cannot encode "
            "the text (set PYTHONIOENCODING=utf-8)\n"
        )
        return EXIT_USAGE
    except ValueError:  # closed by the caller
        _say("lowback: cannot write standard output: it is closed\n")
        return EXIT_USAGE
    return EXIT_OK


def _rule_line(rule: FiredRule) -> str:
    summary = RULES[rule.id].summary if rule.id in RULES else ""
    sources = ", ".join(s.value for s in rule.sources)
    return f"  {rule.id:<14} {summary}\n  {'':<14} sources: {sources}"


def _names(values: Sequence[Any]) -> str:
    return ", ".join(str(v) for v in values) if values else "none"


def _fact_words(value: FactValue) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _compared(check: Check) -> str:
    """A check's facts in plain words: ``pain now 6, calm entry pain 5``."""
    return f"  {'':<14} compared: {_facts_in_words(check) or 'nothing'}"


def _fired_lines(result: TriageResult) -> list[str]:
    """Each fired rule, with its summary, sources and the facts it compared."""
    compared = {
        check.id: check
        for check in result.checks
        if check.outcome is CheckOutcome.FIRED
    }
    lines = []
    for rule in result.rules:
        lines.append(_rule_line(rule))
        if rule.id in compared:
            lines.append(_compared(compared[rule.id]))
    return lines


def format_triage(result: TriageResult) -> str:
    """Render a triage result as text for a person reading a terminal.

    Each rule that fired is shown with the facts it compared, in plain words
    (the answers and thresholds of its check, spec 5.3).
    """
    stage = (
        f"{result.entry_stage} ({result.plan_status})"
        if result.entry_stage is not None
        else "no plan may start yet"
    )
    lines = [
        f"Disposition:     {result.disposition}",
        f"Pain pattern:    {result.pain_pattern}",
        f"Red flags:       {_names(result.red_flags)}",
        f"Plan:            {stage}",
        f"Findings:        {_names(result.findings)}",
        f"Muscles:         {_names(result.implicated_muscles)}",
        f"Unknown answers: {_names(result.unknown_answers)}",
        "Why (rules that fired):",
        *_fired_lines(result),
        f"Ruleset {result.ruleset_version}.",
        "",
        result.safety_net,
    ]
    return "\n".join(lines)


def _cmd_triage(args: argparse.Namespace, out: TextIO) -> None:
    intake = wire.loads(_read(args.file), Intake)
    from .engine.triage import triage  # noqa: PLC0415 - the engine loads only when needed

    result = triage(intake)
    out.write(wire.dumps(result) if args.json else format_triage(result))
    out.write("\n")


def _journal(data: bytes) -> Journal:
    """A journal from a JSON array, or from JSON Lines (one event a line)."""
    if data.lstrip().startswith(b"["):
        return wire.loads(data, Journal)
    journal: Journal = wire.loads_jsonl(data, Journal)
    return journal


def _facts_in_words(check: Check) -> str:
    """The facts a check compared, as ``name value`` pairs in plain words."""
    return ", ".join(
        f"{name.replace('_', ' ')} {_fact_words(value)}"
        for name, value in check.facts.items()
    )


def _why_not(decision: Decision) -> list[str]:
    """For a hold after a session, each advance condition not met, with its facts.

    The advance conditions are evaluated after every session that was not a
    spike; a decision that evaluated them has a ``PR-TIME`` check.
    """
    if decision.action != "hold" or not any(c.id == PR_TIME for c in decision.checks):
        return []
    return [
        f"{'':<12}not met: {c.id}: {RULES[c.id].summary} ({_facts_in_words(c)})"
        for c in decision.checks
        if c.outcome is CheckOutcome.UNMET and c.id in _ADVANCE_CONDITIONS
    ]


#: The conditions that must all be met for a plan to advance a stage.
_ADVANCE_CONDITIONS = frozenset(
    {*(rule_id for rule_id, _ in ADVANCE_CRITERIA), *(g for g, _ in GATES.values())}
)


def format_replay(state: PlanState, decisions: tuple[Decision, ...]) -> str:
    """Render a replayed journal as text: one line per decision, then the state.

    Under a ``hold``, each advance condition that was not met is listed with
    the facts it compared (clinical spec 5.3).
    """
    lines = []
    for d in decisions:
        lines.append(
            f"{d.date}  {d.action:<8} {d.from_stage} -> {d.to_stage} ({d.status})  "
            f"{', '.join(rule.id for rule in d.rules)}"
        )
        lines.extend(_why_not(d))
    seek = f", seek care: {state.seek_care}" if state.seek_care else ""
    lines.append(f"Now: {state.stage} ({state.status}{seek}).")
    return "\n".join(lines)


def _cmd_replay(args: argparse.Namespace, out: TextIO) -> None:
    journal = _journal(_read(args.file))
    from .engine.progression import replay  # noqa: PLC0415 - the engine loads only when needed

    state, decisions = replay(journal)
    if args.json:
        report = wire.ReplayOutput(state=state, decisions=decisions)
        out.write(wire.dumps(report))
    else:
        out.write(format_replay(state, decisions))
    out.write("\n")


def format_score(report: ScoreReport) -> str:
    """Render a scored outcome measure as text for a person reading a terminal."""
    if report.score is None:
        score_line = "not scored (too many items missing)"
    elif report.display == report.score:
        score_line = report.score
    else:
        score_line = f"{report.display} (exactly {report.score})"
    lines = [f"Measure:  {report.measure}", f"Score:    {score_line}"]
    if report.subscore is not None:
        lines.append(f"Subscore: {report.subscore} (psychosocial)")
    if report.risk is not None:
        lines.append(f"Risk:     {report.risk}")
    lines += [
        f"Missing:  {_names(report.missing)}",
        "Why (rules that applied):",
        *(_rule_line(rule) for rule in report.rules),
    ]
    return "\n".join(lines)


def _cmd_score(args: argparse.Namespace, out: TextIO) -> None:
    from .catalog.outcomes import ANSWER_TYPES  # noqa: PLC0415 - loads only when needed
    from .engine.outcomes import (  # noqa: PLC0415 - the engine loads only when needed
        ScoreReport,
        score,
    )

    answers = wire.loads(_read(args.file), ANSWER_TYPES[Measure(args.measure)])
    report = ScoreReport.of(score(answers))
    out.write(wire.dumps(report) if args.json else format_score(report))
    out.write("\n")


def _is_intake(data: bytes) -> bool:
    """Whether *data* is one JSON object that is not an event (so an intake).

    A journal is a JSON array, or JSON Lines of events (objects with a
    ``type``). Anything unreadable is left to the wire to explain.
    """
    text = data.decode("utf-8", errors="replace").lstrip()
    if not text.startswith("{"):
        return False
    try:
        value, end = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):
        return not text.rstrip().count("\n")  # one line: read it as an intake
    return isinstance(value, dict) and "type" not in value and not text[end:].strip()


def _cmd_fhir(args: argparse.Namespace, out: TextIO) -> None:
    from . import fhir  # noqa: PLC0415 - the export loads only when needed

    data = _read(args.file)
    if _is_intake(data):
        bundle = fhir.from_intake(wire.loads(data, Intake), patient=args.patient)
    else:
        bundle = fhir.from_journal(_journal(data), patient=args.patient)
    out.write(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> None:
    from ._demo import demo_journal, narrate  # noqa: PLC0415 - only for the demo

    journal = demo_journal()
    out.write(wire.dumps_jsonl(journal) if args.json else narrate(journal) + "\n")


def _cmd_rules(args: argparse.Namespace, out: TextIO) -> None:
    if args.json:
        out.write(wire.dumps(tuple(RULES.values())) + "\n")
        return
    for rule in RULES.values():
        disposition = f" -> {rule.disposition}" if rule.disposition else ""
        out.write(f"{rule.id} [{rule.kind}]{disposition}\n  {rule.summary}\n")
        out.write(f"  sources: {', '.join(s.value for s in rule.sources)}\n")


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> None:
    if args.name not in wire.WIRE_TYPES:
        known = ", ".join(wire.WIRE_TYPES)
        msg = f"no schema named {args.name!r}; choose one of: {known}"
        raise _UsageError(msg)
    schema = wire.json_schema(wire.WIRE_TYPES[args.name])
    out.write(json.dumps(schema, indent=2) + "\n")


def _expected_version(text: str) -> int | None:
    """``--expected-version``: a version (0: a new stream) or ``any``."""
    if text == "any":
        return None
    if not text.isdigit():
        msg = "expected a version number (0 for a new stream) or 'any'"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _cmd_store(args: argparse.Namespace, out: TextIO) -> None:
    """``lowback store append|show|replay --db PATH STREAM``: a journal in SQLite."""
    from .store import (  # noqa: PLC0415 - the store loads only when needed
        SQLiteStore,
        StoreError,
        StreamNotFound,
        WrongExpectedVersion,
    )

    if args.action != "append" and not Path(args.db).is_file():
        msg = f"no database at {args.db}"
        raise _UsageError(msg)
    events = _journal(_read(args.file)) if args.action == "append" else ()
    try:
        with SQLiteStore(args.db) as store:
            if args.action == "append":
                version = store.append(
                    args.stream, events, expected_version=args.expected_version
                )
                text = f"Stream {args.stream!r}: version {version}."
                data = f'{{"stream_id":{json.dumps(args.stream)},"version":{version}}}'
            elif args.action == "show":
                events, version = store.read(args.stream)
                text = "\n".join(
                    [
                        f"Stream {args.stream!r}: version {version}.",
                        *(
                            f"{i:>6}  {e.date}  {e.type}"
                            for i, e in enumerate(events, start=1)
                        ),
                    ]
                )
                data = (
                    f'{{"stream_id":{json.dumps(args.stream)},"version":{version},'
                    f'"events":{wire.dumps(events)}}}'
                )
            else:
                state, decisions = store.replay(args.stream)
                text = format_replay(state, decisions)
                data = wire.dumps(wire.ReplayOutput(state=state, decisions=decisions))
    except WrongExpectedVersion as err:
        raise InvalidInput.at("$", "conflict", str(err)) from None
    except StreamNotFound as err:
        raise InvalidInput.at("$", "not_found", str(err)) from None
    except StoreError as err:
        msg = f"cannot use the database {args.db}: {err}"
        raise _UsageError(msg) from None
    out.write((data if args.json else text) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lowback",
        description="Low back pain triage and staged self-management, explained.",
        epilog="Exit codes: 0 done, 2 bad usage, 3 invalid input.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str, handler: Callable[[argparse.Namespace, TextIO], None], text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    triage = command("triage", _cmd_triage, "Triage an intake (JSON).")
    triage.add_argument(
        "file", metavar="FILE", help="an intake document, or - for stdin"
    )
    triage.add_argument("--json", action="store_true", help="write the wire contract")
    replay = command(
        "replay", _cmd_replay, "Replay a journal (a JSON array or JSON Lines)."
    )
    replay.add_argument("file", metavar="FILE", help="a journal, or - for stdin")
    replay.add_argument("--json", action="store_true", help="write the wire contract")
    score = command(
        "score", _cmd_score, "Score an outcome measure's answers (a JSON object)."
    )
    score.add_argument(
        "measure",
        metavar="MEASURE",
        choices=[m.value for m in Measure],
        help=f"one of: {', '.join(m.value for m in Measure)}",
    )
    score.add_argument(
        "file", metavar="FILE", help="the measure's answers, or - for stdin"
    )
    score.add_argument("--json", action="store_true", help="write the wire contract")
    demo = command(
        "demo", _cmd_demo, "Narrate one person's weeks, from intake to progress."
    )
    demo.add_argument(
        "--json", action="store_true", help="write the demo journal as JSON Lines"
    )
    fhir = command(
        "fhir",
        _cmd_fhir,
        "Export an intake or a journal as a FHIR R4 Bundle (JSON).",
    )
    fhir.add_argument(
        "file",
        metavar="FILE",
        help="an intake (a JSON object) or a journal (a JSON array or JSON Lines), "
        "or - for stdin",
    )
    fhir.add_argument(
        "--patient",
        metavar="REF",
        default=None,
        help="the subject, as Patient/<id>; without it the subject is unidentified",
    )
    rules = command("rules", _cmd_rules, "List every rule with its sources.")
    rules.add_argument("--json", action="store_true", help="write JSON")
    schema = command("schema", _cmd_schema, "Print the JSON Schema of a wire type.")
    schema.add_argument(
        "name", metavar="NAME", help=f"one of: {', '.join(wire.WIRE_TYPES)}"
    )
    schema.add_argument(
        "--json", action="store_true", help="accepted for symmetry: always JSON"
    )
    store = command(
        "store", _cmd_store, "Keep journals in a SQLite database (lowback.store)."
    )
    actions = store.add_subparsers(dest="action", required=True)
    for action, text in (
        ("append", "Append events (a JSON array or JSON Lines) to a stream."),
        ("show", "List a stream's events and its version."),
        ("replay", "Replay a stream: every decision and the plan now."),
    ):
        sub = actions.add_parser(action, help=text, description=text)
        sub.add_argument("--db", required=True, metavar="PATH", help="the database")
        sub.add_argument("stream", metavar="STREAM", help="the journal's stream ID")
        if action == "append":
            sub.add_argument("file", metavar="FILE", help="events, or - for stdin")
            sub.add_argument(
                "--expected-version",
                required=True,
                type=_expected_version,
                metavar="N|any",
                help="the stream's version now (0: a new stream), or any",
            )
        sub.add_argument("--json", action="store_true", help="write JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Args:
        argv: The arguments after the program name; ``sys.argv[1:]`` when
            ``None``.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse's own usage errors, --help, --version
        code = int(exit_.code or 0)
        _say("")  # argparse ignores a failed write; its buffered rest must go
        flushed = _emit("")  # --help's text must reach its reader too
        return code if code != EXIT_OK else flushed
    out = io.StringIO()  # nothing reaches stdout when a command fails
    try:
        args.handler(args, out)
    except InvalidInput as err:
        _say("invalid input:\n" + "".join(f"  {problem}\n" for problem in err.problems))
        return EXIT_INVALID_INPUT
    except _UsageError as err:
        _say(f"lowback: {err}\n")
        return EXIT_USAGE
    return _emit(out.getvalue())
