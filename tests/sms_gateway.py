"""A real HTTP SMS gateway on loopback that records what it receives (for HttpGatewaySmsBackend).

Like a real gateway given a client reference, it delivers a message `id` once: a repeat is answered
"ok" and recorded in `received`, but not added to `delivered` (what reached a phone).
"""

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def running_gateway():
    """Yields a dict: `url`; `received` (every POST), `delivered` (what a phone got), `answers` (queued
    replies, True when empty); `delay` (seconds each answer waits, settable) and `in_flight` (POSTs
    taken and not yet answered: a sender killed now has a message in doubt)."""
    gateway = {"received": [], "delivered": [], "answers": [], "delay": 0.0, "in_flight": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            message = {"auth": self.headers["Authorization"], **json.loads(body)}
            with lock:
                ok = gateway["answers"].pop(0) if gateway["answers"] else True
                repeat = "id" in message and any(m.get("id") == message["id"] for m in gateway["delivered"])
                gateway["received"].append(message)
                if ok and not repeat:
                    gateway["delivered"].append(message)
                gateway["in_flight"] += 1
            try:
                time.sleep(gateway["delay"])
                self.send_response(200)
                self.end_headers()
                self.wfile.write(json.dumps({"ok": ok}).encode())
            except OSError:
                pass  # the sender died waiting (bench/soak kills it so): the message was taken all the same
            finally:
                with lock:
                    gateway["in_flight"] -= 1

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gateway["url"] = f"http://127.0.0.1:{server.server_port}/send"
    try:
        yield gateway
    finally:
        server.shutdown()
