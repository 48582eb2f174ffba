"""A small HTTP service that embeds lowback, using only the standard library.

It shows how an app wires the engine in: JSON in and out in the wire
contract, bounded requests, errors that name the JSON path but never echo
health data, and a journal per person that the app keeps (here, in memory).

Endpoints:

- ``POST /triage``: an Intake document; answers with the TriageResult.
- ``POST /journals/{id}/events``: one event (``plan_started`` first); the
  service appends it to that journal and answers with the Decision.
- ``GET /journals/{id}``: the journal's events, as a JSON array.
- ``GET /journals/{id}/replay``: the plan's state and every decision
  (``ReplayOutput``, as ``lowback replay --json`` writes it).
- ``GET /journals/{id}/prescription``: today's Prescription.

Bad input is a ``400`` with ``{"error": "invalid_input", "problems": [...]}``,
each problem a JSON path and a reason code. Run it with
``python examples/http_service.py [PORT]`` (default 8000, on 127.0.0.1);
``main()`` instead starts it on a free port, makes a few requests and stops.
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import lowback

DATA = Path(__file__).resolve().parent / "data"

#: The largest request body the service reads, in bytes.
MAX_BODY_BYTES = 64 * 1024
#: How long a connection may sit idle before the server drops it, in seconds.
REQUEST_TIMEOUT_SECONDS = 10.0
#: Journal IDs are the app's own opaque keys.
_JOURNAL = re.compile(
    r"/journals/([A-Za-z0-9_-]{1,64})(/events|/prescription|/replay)?"
)


class JournalStore:
    """The journals, each with its plan's current state; safe across threads.

    An app would keep the events in its database: they are the record, and
    the state can always be rebuilt with :func:`lowback.replay`. An event is
    stored only if the engine accepts it, so a journal always replays.
    """

    def __init__(self) -> None:
        """Start with no journals."""
        self._lock = threading.Lock()
        self._events: dict[str, list[lowback.Event]] = {}
        self._states: dict[str, lowback.PlanState] = {}

    def append(self, journal_id: str, event: lowback.Event) -> lowback.Decision:
        """Step the journal's plan with *event*, store the event, return the decision.

        Raises:
            InvalidInput: the engine refuses the event (out of date order, a
                second plan_started, an event before the plan starts).
        """
        with self._lock:
            state, decision = lowback.step(self._states.get(journal_id), event)
            self._events.setdefault(journal_id, []).append(event)
            self._states[journal_id] = state
            return decision

    def events(self, journal_id: str) -> lowback.Journal | None:
        """Return the journal's events, or ``None`` if there is no such journal."""
        with self._lock:
            events = self._events.get(journal_id)
            return None if events is None else tuple(events)

    def state(self, journal_id: str) -> lowback.PlanState | None:
        """Return the plan's current state, or ``None`` if there is no such journal."""
        with self._lock:
            return self._states.get(journal_id)


class LowbackHandler(BaseHTTPRequestHandler):
    """Answers the endpoints above from the server's :class:`JournalStore`."""

    server: LowbackServer
    timeout = REQUEST_TIMEOUT_SECONDS
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        """Triage an intake, or append an event to a journal."""
        body = self._read_body()
        if body is None:
            return
        try:
            if self.path == "/triage":
                intake = lowback.loads(body, lowback.Intake)
                self._send_json(HTTPStatus.OK, lowback.dumps(lowback.triage(intake)))
                return
            match = _JOURNAL.fullmatch(self.path)
            if match and match.group(2) == "/events":
                event = lowback.loads(body, lowback.Event)
                decision = self.server.store.append(match.group(1), event)
                self._send_json(HTTPStatus.OK, lowback.dumps(decision))
                return
        except lowback.InvalidInput as err:
            self._send_problems(err)
            return
        self._send_error(HTTPStatus.NOT_FOUND, "not_found")

    def do_GET(self) -> None:
        """Return a journal's events or today's prescription."""
        match = _JOURNAL.fullmatch(self.path)
        if match is None or match.group(2) == "/events":
            self._send_error(HTTPStatus.NOT_FOUND, "not_found")
            return
        journal_id, part = match.groups()
        if part == "/prescription":
            state = self.server.store.state(journal_id)
            if state is not None:
                text = lowback.dumps(lowback.prescription(state))
                self._send_json(HTTPStatus.OK, text)
                return
        else:
            events = self.server.store.events(journal_id)
            if events is not None and part == "/replay":
                state, decisions = lowback.replay(events)
                output = lowback.ReplayOutput(state=state, decisions=decisions)
                self._send_json(HTTPStatus.OK, lowback.dumps(output))
                return
            if events is not None:
                self._send_json(HTTPStatus.OK, lowback.dumps(events))
                return
        self._send_error(HTTPStatus.NOT_FOUND, "no_such_journal")

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._send_error(HTTPStatus.LENGTH_REQUIRED, "length_required")
            return None
        if int(length) > MAX_BODY_BYTES:
            self.close_connection = True
            self._send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large")
            return None
        return self.rfile.read(int(length))

    def _send_problems(self, err: lowback.InvalidInput) -> None:
        # Paths and reason codes only: the offending values may be health data.
        problems = [{"path": p.path, "code": p.code} for p in err.problems]
        payload = {"error": "invalid_input", "problems": problems}
        self._send_json(HTTPStatus.BAD_REQUEST, json.dumps(payload))

    def _send_error(self, status: HTTPStatus, code: str) -> None:
        self._send_json(status, json.dumps({"error": code}))

    def _send_json(self, status: HTTPStatus, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Log nothing: request lines can carry journal IDs, and this is a demo."""


class LowbackServer(ThreadingHTTPServer):
    """A threading HTTP server holding the journals."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int]) -> None:
        """Listen on *address* (port 0 picks a free port)."""
        super().__init__(address, LowbackHandler)
        self.store = JournalStore()


@contextmanager
def running(host: str = "127.0.0.1", port: int = 0) -> Iterator[LowbackServer]:
    """Run a server in a background thread for the duration of a ``with`` block."""
    server = LowbackServer((host, port))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def request(
    server: LowbackServer, method: str, path: str, body: bytes | None = None
) -> tuple[int, Any]:
    """Send one request to *server*; return the status and the decoded JSON answer."""
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=5)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def main() -> None:
    """Start the service on a free port, triage the sample, log a few events, stop."""
    with running() as server:
        status, result = request(
            server, "POST", "/triage", (DATA / "intake.json").read_bytes()
        )
        print(
            f"POST /triage -> {status}: {result['disposition']}, entry {result['entry_stage']}"
        )
        lines = (DATA / "journal.jsonl").read_text(encoding="utf-8").splitlines()
        for line in lines[:5]:
            status, decision = request(
                server, "POST", "/journals/demo/events", line.encode()
            )
            print(
                f"POST /journals/demo/events -> {status}: {decision['date']} "
                f"{decision['action']} at {decision['to_stage']}"
            )
        status, today = request(server, "GET", "/journals/demo/prescription")
        names = ", ".join(item["exercise"] for item in today["exercises"])
        print(f"GET /journals/demo/prescription -> {status}: {names}")
        status, error = request(server, "POST", "/triage", b'{"schema_version": 1}')
        print(f"POST /triage (incomplete) -> {status}: {error['problems'][0]}")


def serve(port: int = 8000) -> None:
    """Serve on 127.0.0.1:*port* until interrupted."""
    server = LowbackServer(("127.0.0.1", port))
    print(f"lowback service on http://127.0.0.1:{port}/ (Ctrl-C stops it)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else 8000)
