"""The ``lowback`` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import lowback
from lowback import wire
from lowback.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wire"
INTAKE = FIXTURES / "intake.json"
SCRIPT = str(Path(sys.executable).parent / "lowback")
#: The two ways a user starts the command.
STARTS = {"console script": [SCRIPT], "python -m": [sys.executable, "-m", "lowback"]}
DEV_FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(
    not DEV_FULL.exists(), reason="this system has no /dev/full"
)


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``python -m lowback ARGS`` and capture everything."""
    return subprocess.run(
        [sys.executable, "-m", "lowback", *args],
        input=stdin, capture_output=True, text=True, check=False,
    )  # fmt: skip


class TestConsoleScript:
    def test_readme_first_command_runs_the_installed_demo(self) -> None:
        """The README's first command ends with the `lowback demo` console script."""
        readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(
            encoding="utf-8"
        )
        first = readme.split("```console\n", 1)[1].split("\n", 1)[0]
        assert first.endswith(".venv/bin/lowback demo")
        script = Path(sys.executable).parent / "lowback"
        done = subprocess.run(
            [str(script), "demo"], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0
        assert "ADVANCE" in done.stdout


class TestUsage:
    def test_no_command_is_bad_usage(self) -> None:
        """Running with no command exits 2 with usage on stderr."""
        done = run()
        assert done.returncode == 2
        assert "usage" in done.stderr
        assert done.stdout == ""

    def test_unknown_command_is_bad_usage(self) -> None:
        """An unknown command exits 2."""
        assert run("diagnose").returncode == 2

    def test_missing_file_is_bad_usage(self, tmp_path: Path) -> None:
        """A file that cannot be read exits 2, printing nothing on stdout."""
        done = run("triage", str(tmp_path / "absent.json"))
        assert done.returncode == 2
        assert done.stdout == ""
        assert "cannot read" in done.stderr

    def test_help_exits_zero(self) -> None:
        """--help lists the commands and exits 0."""
        done = run("--help")
        assert done.returncode == 0
        for command in ("triage", "rules", "schema"):
            assert command in done.stdout


class TestRules:
    def test_lists_every_rule_with_sources(self) -> None:
        """`lowback rules` names every rule in the catalog and its sources."""
        done = run("rules")
        assert done.returncode == 0
        for rule_id, rule in lowback.RULES.items():
            assert rule_id in done.stdout
            assert rule.sources[0].value in done.stdout

    def test_json(self) -> None:
        """`lowback rules --json` writes every rule as JSON."""
        rules = json.loads(run("rules", "--json").stdout)
        assert [r["id"] for r in rules] == list(lowback.RULES)


class TestSchema:
    def test_schema_intake_validates_a_real_intake(self) -> None:
        """`lowback schema Intake` is a JSON Schema a real intake satisfies."""
        done = run("schema", "Intake")
        assert done.returncode == 0
        schema = json.loads(done.stdout)
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(json.loads(INTAKE.read_text(encoding="utf-8")), schema)
        bad = json.loads(INTAKE.read_text(encoding="utf-8")) | {"pain_now": 11}
        assert not jsonschema.Draft202012Validator(schema).is_valid(bad)

    @pytest.mark.parametrize("name", list(wire.WIRE_TYPES))
    def test_every_wire_type_has_a_schema(
        self, name: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every name the command offers prints a valid schema.

        In process, through main(): a subprocess per name would only repeat
        the interpreter's start, which the test above already covers.
        """
        assert main(["schema", name]) == 0
        jsonschema.Draft202012Validator.check_schema(
            json.loads(capsys.readouterr().out)
        )

    def test_unknown_name_is_bad_usage(self) -> None:
        """An unknown schema name exits 2 and lists the known ones."""
        done = run("schema", "Patient")
        assert done.returncode == 2
        assert "Intake" in done.stderr
        assert done.stdout == ""


class TestTriage:
    def test_text_from_a_file(self) -> None:
        """`lowback triage FILE` explains the disposition and the rules that fired."""
        done = run("triage", str(INTAKE))
        assert done.returncode == 0
        expected = lowback.triage(lowback.loads(INTAKE.read_bytes(), lowback.Intake))
        assert f"Disposition:     {expected.disposition}" in done.stdout
        for rule in expected.rules:
            assert rule.id in done.stdout
        assert done.stderr == ""

    def test_json_from_stdin_is_the_wire_contract(self) -> None:
        """`lowback triage - --json` writes the TriageResult document triage() gives."""
        text = INTAKE.read_text(encoding="utf-8")
        done = run("triage", "-", "--json", stdin=text)
        assert done.returncode == 0
        result = lowback.loads(done.stdout, lowback.TriageResult)
        assert result == lowback.triage(lowback.loads(text, lowback.Intake))

    def test_invalid_input_exits_3_with_paths(self) -> None:
        """A bad intake exits 3, lists paths and codes on stderr, prints no stdout."""
        doc = json.loads(INTAKE.read_text(encoding="utf-8"))
        doc["pain_now"] = "SECRET-VALUE"
        del doc["red_flags"]["saddle_numbness"]
        done = run("triage", "-", stdin=json.dumps(doc))
        assert done.returncode == 3
        assert done.stdout == ""
        assert "$.pain_now: wrong_type" in done.stderr
        assert "$.red_flags.saddle_numbness: missing" in done.stderr
        assert "SECRET-VALUE" not in done.stderr

    def test_malformed_json_exits_3(self) -> None:
        """Text that is not JSON exits 3 with a bad_json problem."""
        done = run("triage", "-", stdin="{not json")
        assert done.returncode == 3
        assert "$: bad_json" in done.stderr


def shell(
    redirect: str, *args: str, start: str = "console script"
) -> subprocess.CompletedProcess[str]:
    """Run the command under ``sh`` with *redirect* applied, as a user types it.

    ``shell("<&-", "triage", "-")`` is ``lowback triage - <&-``: the command
    starts with that descriptor really closed or redirected.
    """
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {redirect}', "sh", *STARTS[start], *args],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
    )  # fmt: skip


def assert_no_traceback(stderr: str) -> None:
    """Neither a traceback nor Python's note of an error it ignored at exit."""
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr


#: The hostile cases that run under both starts; the others run the console
#: script only (both starts call the same main()).
both_starts = pytest.mark.parametrize("start", list(STARTS))


class TestHostileSurroundings:
    """Closed, full or broken standard streams: never a traceback, exit 0/2/3."""

    @both_starts
    def test_stdin_closed_is_bad_usage(self, start: str) -> None:
        """`lowback triage - <&-` exits 2 with one line saying stdin is closed."""
        done = shell("<&-", "triage", "-", start=start)
        assert done.returncode == 2
        assert done.stdout == ""
        assert done.stderr == "lowback: cannot read standard input: it is closed\n"

    def test_stdin_closed_does_not_matter_when_unused(self) -> None:
        """A command that reads no input runs normally with stdin closed."""
        done = shell("<&-", "rules")
        assert done.returncode == 0
        assert "RF-CES" in done.stdout

    def test_stdout_closed_is_one_line_and_exit_2(self) -> None:
        """`lowback rules >&-` exits 2 with one line saying stdout is closed."""
        done = shell(">&-", "rules")
        assert done.returncode == 2
        assert done.stderr == "lowback: cannot write standard output: it is closed\n"

    @needs_dev_full
    @both_starts
    def test_stdout_full_is_one_line_and_exit_2(self, start: str) -> None:
        """`lowback rules > /dev/full` exits 2 with one line naming the cause."""
        done = shell(f"> {DEV_FULL}", "rules", start=start)
        assert done.returncode == 2
        assert done.stderr == (
            "lowback: cannot write standard output: No space left on device\n"
        )

    @needs_dev_full
    def test_help_to_a_full_stdout_is_exit_2(self) -> None:
        """`lowback --help > /dev/full` does not claim success."""
        done = shell(f"> {DEV_FULL}", "--help")
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1
        assert_no_traceback(done.stderr)

    @pytest.mark.parametrize(
        ("args", "code"),
        [
            (("rules",), 0),
            (("triage", str(INTAKE)), 0),
            (("triage", "/nonexistent/intake.json"), 2),
            (("triage", "-"), 3),  # stdin is empty: not JSON
            (("diagnose",), 2),
        ],
    )
    @pytest.mark.parametrize("redirect", ["2>&-", f"2> {DEV_FULL}"])
    def test_stderr_closed_or_full_keeps_the_exit_code(
        self, redirect: str, args: tuple[str, ...], code: int
    ) -> None:
        """With stderr closed (`2>&-`) or full, the exit code is still 0/2/3.

        Python reports an error it could not flush at exit as status 120,
        and an uncaught one as 1; neither may appear.
        """
        if "full" in redirect and not DEV_FULL.exists():
            pytest.skip("this system has no /dev/full")
        done = shell(redirect, *args)
        assert done.returncode == code

    @both_starts
    def test_reader_gone_exits_quietly(self, start: str) -> None:
        """When the reader closes the pipe before the output is written
        (`lowback triage - | head -0`), the command exits 2 and says nothing."""
        with subprocess.Popen(
            [*STARTS[start], "triage", "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        ) as proc:  # fmt: skip
            assert proc.stdin is not None
            assert proc.stdout is not None
            proc.stdout.close()  # the reader is gone before anything is written
            proc.stdin.write(INTAKE.read_bytes())
            proc.stdin.close()
            assert proc.stderr is not None
            stderr = proc.stderr.read()
            proc.wait(timeout=60)
        assert proc.returncode == 2
        assert stderr == b""

    def test_rules_piped_to_head(self) -> None:
        """`lowback rules | head -1`: the first line, and nothing on stderr."""
        done = subprocess.run(
            ["sh", "-c", '"$@" rules | head -1', "sh", SCRIPT],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0
        assert done.stdout.startswith(f"{next(iter(lowback.RULES))} [")
        assert done.stdout.count("\n") == 1
        assert done.stderr == ""


class TestSchemaJson:
    def test_schema_accepts_json_like_every_command(self) -> None:
        """`lowback schema NAME --json` prints the same JSON as without it."""
        plain = run("schema", "Dose")
        with_flag = run("schema", "Dose", "--json")
        assert with_flag.returncode == 0
        assert with_flag.stdout == plain.stdout
        assert json.loads(with_flag.stdout)["$schema"].startswith("https://")


class TestFromPython:
    def test_main_with_stdout_closed_by_the_caller(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """main() called by an app whose sys.stdout was closed returns 2."""
        closed = Path(os.devnull).open("w")  # noqa: SIM115 - closed on purpose
        closed.close()
        monkeypatch.setattr(sys, "stdout", closed)
        assert main(["rules"]) == 2
        assert "cannot write standard output" in capsys.readouterr().err
