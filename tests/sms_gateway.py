"""A real HTTP SMS gateway on loopback that records what it receives (for HttpGatewaySmsBackend)."""

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def running_gateway():
    received: list[dict] = []
    answers: list[bool] = []  # queued replies; True (accepted) when empty
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                received.append({"auth": self.headers["Authorization"], **json.loads(body)})
                ok = answers.pop(0) if answers else True
            self.send_response(200)
            self.end_headers()
            self.wfile.write(json.dumps({"ok": ok}).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_port}/send", "received": received, "answers": answers}
    finally:
        server.shutdown()
