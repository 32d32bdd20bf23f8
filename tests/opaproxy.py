"""An HTTP proxy in front of a real OPA server that misbehaves on purpose: slow on some requests, or answering
the decision with a result of its own (an OPA that is not deciding with zicha's policies)."""

from __future__ import annotations

import http.server
import json
import threading
import time
import urllib.error
import urllib.request
from typing import Callable


class OpaProxy:
    def __init__(self, backend: str, delay: Callable[[str, str], float] = lambda m, p: 0.0,
                 decision: dict | None = None):
        self.backend, self.delay, self.decision = backend, delay, decision
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
                time.sleep(proxy.delay(self.command, self.path))
                if proxy.decision is not None and self.path.startswith("/v1/data/zicha/main/report"):
                    data, code = json.dumps({"result": proxy.decision}).encode(), 200
                else:
                    req = urllib.request.Request(proxy.backend + self.path, data=body, method=self.command,
                                                 headers={"Content-Type": "application/json"})
                    try:
                        with urllib.request.urlopen(req, timeout=120) as resp:
                            data, code = resp.read(), resp.status
                    except urllib.error.HTTPError as e:
                        data, code = e.read(), e.code
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = _forward

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> "OpaProxy":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
