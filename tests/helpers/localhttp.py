"""A real HTTP server on 127.0.0.1 for download tests: an ephemeral port, a thread, and a
``release`` event that ends every deliberately stalled response at teardown."""

import http.server
import threading


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client hung up on a stalled, cut or cancelled response, as intended


class LocalServer:
    """Base of the tests' servers: ``serve(Handler)`` starts it, ``close()`` stops it."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def serve(self, handler: type) -> str:
        """Start serving ``handler`` in a thread; return the base URL."""
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
