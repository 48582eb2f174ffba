"""The ``lowback`` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import lowback
from lowback import wire

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wire"
INTAKE = FIXTURES / "intake.json"


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
    def test_every_wire_type_has_a_schema(self, name: str) -> None:
        """Every name the command offers prints a valid schema."""
        done = run("schema", name)
        assert done.returncode == 0
        jsonschema.Draft202012Validator.check_schema(json.loads(done.stdout))

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
