"""An SMS gateway for tests: a real HTTP server on a free local port."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Gateway:
    """A real HTTP server playing the SMS gateway: answers from a script, records requests."""

    def __init__(self, answers):
        self.answers, self.requests = list(answers), []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                gateway.requests.append((dict(self.headers), json.loads(self.rfile.read(length))))
                status, body = gateway.answers.pop(0) if gateway.answers else (200, {"id": "gw-last"})
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/messages"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
