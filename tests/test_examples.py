"""The examples: the triage and replay scripts, and the embedded HTTP service."""

from __future__ import annotations

import json
import runpy
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import lowback

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DATA = EXAMPLES / "data"


def _example(name: str) -> dict[str, Any]:
    return runpy.run_path(str(EXAMPLES / f"{name}.py"))


@pytest.fixture(scope="module")
def service() -> dict[str, Any]:
    return _example("http_service")


@pytest.fixture
def server(service: dict[str, Any]) -> Iterator[Any]:
    with service["running"]("127.0.0.1", 0) as srv:
        yield srv


def _journal_lines() -> list[str]:
    return (DATA / "journal.jsonl").read_text(encoding="utf-8").splitlines()


class TestTriageExample:
    def test_explanation_names_every_fired_rule(self) -> None:
        """The explanation lists each rule the triage fired, with its summary."""
        ns = _example("triage_intake")
        intake = lowback.loads((DATA / "intake.json").read_bytes(), lowback.Intake)
        result = lowback.triage(intake)
        text = ns["explain"](result)
        for fired in result.rules:
            assert f"{fired.id}: {lowback.RULES[fired.id].summary}" in text
        assert result.safety_net in text

    def test_bad_file_exits_3_without_echoing(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bad intake file exits 3 with the JSON path and never the value."""
        document = json.loads((DATA / "intake.json").read_text(encoding="utf-8"))
        document["pain_now"] = "secret-value-77"
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(document), encoding="utf-8")
        assert _example("triage_intake")["main"]([str(bad)]) == 3
        err = capsys.readouterr().err
        assert "$.pain_now" in err
        assert "secret-value-77" not in err


class TestReplayExample:
    def test_prints_one_line_per_decision(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The replay example prints every decision of the sample journal."""
        assert _example("replay_journal")["main"]([]) == 0
        out = capsys.readouterr().out
        events = lowback.loads_jsonl(
            (DATA / "journal.jsonl").read_text(encoding="utf-8"), lowback.Journal
        )
        _state, decisions = lowback.replay(events)
        for decision in decisions:
            assert f"{decision.date}  {decision.action.value:<8}" in out

    def test_reads_a_json_array_like_json_lines(self, tmp_path: Path) -> None:
        """A journal written as a JSON array reads the same as JSON Lines."""
        ns = _example("replay_journal")
        events = ns["read_journal"](DATA / "journal.jsonl")
        array = tmp_path / "journal.json"
        array.write_text(lowback.dumps(events), encoding="utf-8")
        assert ns["read_journal"](array) == events


class TestHttpService:
    def test_triage_answers_with_the_engine_result(
        self, service: dict[str, Any], server: Any
    ) -> None:
        """POST /triage answers with exactly the engine's result as canonical JSON."""
        body = (DATA / "intake.json").read_bytes()
        status, answer = service["request"](server, "POST", "/triage", body)
        expected = lowback.triage(lowback.loads(body, lowback.Intake))
        assert status == 200
        assert answer == json.loads(lowback.dumps(expected))

    def test_invalid_intake_names_paths_not_values(
        self, service: dict[str, Any], server: Any
    ) -> None:
        """Bad input is a 400 listing JSON paths and codes, never the value sent."""
        document = json.loads((DATA / "intake.json").read_text(encoding="utf-8"))
        document["age"] = "secret-age-91"
        body = json.dumps(document).encode()
        status, answer = service["request"](server, "POST", "/triage", body)
        assert status == 400
        assert {"path": "$.age", "code": "wrong_type"} in answer["problems"]
        assert "secret-age-91" not in json.dumps(answer)

    def test_oversized_body_is_refused(
        self, service: dict[str, Any], server: Any
    ) -> None:
        """A body over the limit is a 413, read no further."""
        body = b" " * (service["MAX_BODY_BYTES"] + 1)
        status, answer = service["request"](server, "POST", "/triage", body)
        assert (status, answer) == (413, {"error": "too_large"})

    def test_missing_length_is_refused(self, server: Any) -> None:
        """A POST without Content-Length is a 411."""
        host, port = server.server_address[:2]
        with socket.create_connection((host, port), timeout=5) as sock:
            sock.sendall(
                b"POST /triage HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            reply = sock.recv(4096)
        assert reply.startswith(b"HTTP/1.1 411")

    def test_events_give_the_replay_decisions(
        self, service: dict[str, Any], server: Any
    ) -> None:
        """Posting a journal's events one by one gives the same decisions as replay."""
        lines = _journal_lines()
        answers = []
        for line in lines:
            status, decision = service["request"](
                server, "POST", "/journals/p-1/events", line.encode()
            )
            assert status == 200
            answers.append(decision)
        events = tuple(lowback.loads(line, lowback.Event) for line in lines)
        state, decisions = lowback.replay(events)
        assert answers == [json.loads(lowback.dumps(d)) for d in decisions]
        status, today = service["request"](server, "GET", "/journals/p-1/prescription")
        assert status == 200
        assert today == json.loads(lowback.dumps(lowback.prescription(state)))
        status, stored = service["request"](server, "GET", "/journals/p-1")
        assert stored == json.loads(lowback.dumps(events))
        status, replayed = service["request"](server, "GET", "/journals/p-1/replay")
        assert status == 200
        assert replayed["decisions"] == [
            {k: v for k, v in answer.items() if k != "schema_version"}
            for answer in answers
        ]

    def test_refused_event_is_not_stored(
        self, service: dict[str, Any], server: Any
    ) -> None:
        """An event dated before the journal's last one is a 400 and is not kept."""
        lines = _journal_lines()
        for line in lines[:5]:
            service["request"](server, "POST", "/journals/p-2/events", line.encode())
        late = lowback.loads(lines[4], lowback.Event)
        early = next(
            line
            for line in lines[1:4]
            if lowback.loads(line, lowback.Event).date < late.date
        )
        status, answer = service["request"](
            server, "POST", "/journals/p-2/events", early.encode()
        )
        assert status == 400
        assert answer["problems"][0]["path"] == "$.date"
        _status, stored = service["request"](server, "GET", "/journals/p-2")
        assert len(stored) == 5

    def test_unknown_journal_and_path_are_404(
        self, service: dict[str, Any], server: Any
    ) -> None:
        """Unknown journals and paths answer 404."""
        request = service["request"]
        assert request(server, "GET", "/journals/nobody/prescription")[0] == 404
        assert request(server, "GET", "/nowhere")[0] == 404
        assert request(server, "POST", "/nowhere", b"{}")[0] == 404
