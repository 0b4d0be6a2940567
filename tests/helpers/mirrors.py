"""Two download mirrors (/m1/ and /m2/) on a real HTTP server on 127.0.0.1, serving small fake
files, each scripted per (mirror, file) to serve, 404, 500, cut the connection, lie about
Content-Length, stall or serve wrong bytes; ``fetch`` downloads from them, and the checks that
the destination folder holds nothing but complete, verified files.
"""

from __future__ import annotations

import hashlib
import http.server

import numpy as np

from core.download import download_mnist
from helpers.localhttp import LocalServer

CONTENT = {
    "a.gz": np.random.default_rng(0).bytes(300_000),  # five 64 KiB chunks
    "b.gz": b"tiny file",
}
MD5 = {name: hashlib.md5(data).hexdigest() for name, data in CONTENT.items()}


class Server(LocalServer):
    """ThreadingHTTPServer whose behaviour per (mirror, file) is set by ``script``."""

    def __init__(self):
        super().__init__()  # self.release ends every stall at teardown
        self.script = {}  # (mirror, name) -> ("ok",) | ("status", code) | ("cut", n) | ...
        self.requests = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                _, mirror, name = self.path.split("/", 2)
                owner.requests.append((mirror, name))
                action, *args = owner.script.get((mirror, name), ("ok",))
                body = CONTENT.get(name)
                if action == "redirect":  # to args[0] (a URL)
                    self.send_response(302)
                    self.send_header("Location", args[0])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if body is None or action == "status":
                    self.send_error(args[0] if args else 404)
                    return
                if action == "wrong":
                    body = body[::-1]
                length = args[0] if action == "length" else len(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(length))
                self.end_headers()
                if action == "cut":
                    self.wfile.write(body[: args[0]])
                elif action == "stall":
                    self.wfile.write(body[: args[0]])
                    self.wfile.flush()
                    owner.release.wait(10)
                else:
                    self.wfile.write(body)

            def log_message(self, *args):
                pass


        self.url = self.serve(Handler)
        self.mirrors = (f"{self.url}/m1/", f"{self.url}/m2/")


def fetch(server, dest, **kwargs):
    options = dict(mirrors=server.mirrors, files=MD5, timeout=2.0, allow_insecure_localhost=True)
    return download_mnist(dest, **{**options, **kwargs})


def assert_only_verified(dest):
    """No partial files; every file present is complete and has the right md5."""
    for path in dest.iterdir():
        assert not path.name.startswith(".partial-"), f"partial file left: {path.name}"
        assert hashlib.md5(path.read_bytes()).hexdigest() == MD5[path.name], path.name


def assert_complete(dest):
    assert sorted(p.name for p in dest.iterdir()) == sorted(CONTENT)
    assert_only_verified(dest)
