"""A real HTTP server on 127.0.0.1 that plays the SMS gateway in tests.

Like real gateways it de-duplicates by the Idempotency-Key header: `requests` is every request
that reached it, `inbox` what the recipients' phones received (one message per key).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    key: str
    to: str
    text: str
    headers: dict[str, str]
    payload: dict[str, Any]


@dataclass
class FakeSmsGateway:
    status: int = 200
    # Seconds between accepting a message and answering (the message is delivered at once).
    delay: float = 0.0
    # When the n-th distinct message arrives: set `paused` and hold that answer for
    # `pause_seconds` (a test kills its client meanwhile). Only once.
    pause_on: int | None = None
    pause_seconds: float = 30.0
    requests: list[Received] = field(default_factory=list)
    inbox: list[Received] = field(default_factory=list)
    paused: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                gateway._handle(self, payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client killed mid-request is expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[0], self.server.server_address[1]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}/sms"

    def _handle(self, handler: BaseHTTPRequestHandler, payload: dict[str, Any]) -> None:
        key = handler.headers.get("Idempotency-Key", "")
        received = Received(
            key=key,
            to=str(payload.get("to", "")),
            text=str(payload.get("text", "")),
            headers=dict(handler.headers.items()),
            payload=payload,
        )
        hold = self.delay
        with self._lock:
            self.requests.append(received)
            if 200 <= self.status < 300 and key not in {r.key for r in self.inbox}:
                self.inbox.append(received)
                if self.pause_on is not None and len(self.inbox) == self.pause_on:
                    self.pause_on = None
                    self.paused.set()
                    hold = self.pause_seconds
        if hold:
            time.sleep(hold)
        body = json.dumps({"ok": 200 <= self.status < 300, "id": key}).encode()
        handler.send_response(self.status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
