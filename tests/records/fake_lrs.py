"""A tiny external LRS for the forwarding tests: a threading HTTP server on a local port
that takes ``POST /xapi/statements`` (JSON or multipart/mixed), stores statements by id the
way an LRS does (same id and content: a no-op; other content: 409 for the whole batch), and
records every request. It can be told to fail (``status``), to answer slowly (``delay``), or
to store a batch and then stall past the client's timeout (``lose``): a lost response."""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    ids: list[str]
    status: int
    content_type: str
    authorization: str
    version: str
    attachments: dict[str, bytes] = field(default_factory=dict)


class FakeLRS:
    def __init__(self, port: int | None = None, *, username: str = "fwd",
                 password: str = "fwd-secret") -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/xapi/"
        self.expected_auth = "Basic " + base64.b64encode(
            f"{username}:{password}".encode()).decode()
        self.stored: dict[str, Any] = {}
        self.received: list[Received] = []
        self.status: int | None = None  # answer every request with this status
        self.delay = 0.0  # seconds before answering a successful request
        self.lose = 0  # that many next requests: store, then stall for lose_seconds
        self.lose_seconds = 2.0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FakeLRS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def posted_ids(self) -> list[str]:
        """Every statement id of every request, in order, repeats included."""
        return [i for request in self.received for i in request.ids]

    def accepted_ids(self) -> list[str]:
        return [i for request in self.received if request.status == 200 for i in request.ids]

    def _answer(self, statements: list[dict[str, Any]]) -> tuple[int, Any, float]:
        with self._lock:
            if self.status is not None:
                return self.status, {"error": "told to fail"}, 0.0
            for statement in statements:
                held = self.stored.get(statement["id"])
                if held is not None and held != statement:
                    return 409, {"error": f"{statement['id']} held with other content"}, 0.0
            for statement in statements:
                self.stored.setdefault(statement["id"], statement)
            stall = 0.0
            if self.lose:
                self.lose -= 1
                stall = self.lose_seconds
            return 200, [s["id"] for s in statements], stall or self.delay

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                content_type = self.headers.get("Content-Type", "")
                statements, attachments = _parse(body, content_type)
                if self.path.rstrip("/") != "/xapi/statements":
                    status, answer, stall = 404, {"error": "no such resource"}, 0.0
                elif self.headers.get("Authorization") != lrs.expected_auth:
                    status, answer, stall = 401, {"error": "bad credentials"}, 0.0
                else:
                    status, answer, stall = lrs._answer(statements)
                with lrs._lock:
                    lrs.received.append(Received(
                        ids=[s["id"] for s in statements], status=status,
                        content_type=content_type,
                        authorization=self.headers.get("Authorization", ""),
                        version=self.headers.get("X-Experience-API-Version", ""),
                        attachments=attachments))
                if stall:
                    time.sleep(stall)
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up waiting (a lost response)
                    pass

        return Handler


def _parse(body: bytes, content_type: str) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    if not content_type.startswith("multipart/"):
        data = json.loads(body)
        return (data if isinstance(data, list) else [data]), {}
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    parts = list(message.iter_parts())
    data = json.loads(parts[0].get_payload(decode=True))
    attachments = {part["X-Experience-API-Hash"]: part.get_payload(decode=True)
                   for part in parts[1:]}
    return (data if isinstance(data, list) else [data]), attachments
