"""A local Pwned Passwords range API (https://haveibeenpwned.com/API/v3#PwnedPasswords): the real
request (`GET /range/{5 hex}`) and answer (`SUFFIX:COUNT` lines, CRLF, padded with count-0
lines when `Add-Padding: true` is sent), from a thread on 127.0.0.1. Modes: "ok", "down" (503),
"slow" (answers after `delay` seconds)."""

import hashlib
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakePwned:
    def __init__(self, breached: dict[str, int]):
        self.breached = {hashlib.sha1(p.encode()).hexdigest().upper(): n for p, n in breached.items()}
        self.mode = "ok"
        self.delay = 0.0
        self.requests: list[tuple[str, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.requests.append((self.path, dict(self.headers)))
                if fake.mode == "down":
                    self.send_response(503)
                    self.end_headers()
                    return
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                prefix = self.path.rsplit("/", 1)[-1].upper()
                if not self.path.startswith("/range/") or len(prefix) != 5:
                    self.send_response(400)
                    self.end_headers()
                    return
                lines = [f"{h[5:]}:{n}" for h, n in fake.breached.items() if h.startswith(prefix)]
                if self.headers.get("Add-Padding") == "true":
                    lines += [f"{secrets.token_hex(18).upper()[:35]}:0" for _ in range(50)]
                body = "\r\n".join(lines).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
