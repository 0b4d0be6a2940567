"""Why a download failed, in words a user understands, with what to do about it.

``network_failure(error)`` sorts what one mirror did into a kind (no connection, a name that
cannot be looked up, a refused connection, a server that never answers, an HTTP error, damaged
data, a failed secure connection) with a one-line detail. ``explain`` turns the failures of
every mirror for a file into the message ``DownloadError`` carries, which the command line
prints and the window's download dialog shows: a sentence for the kind of failure (one for
mixed ones), the way round it (the four files by hand, then *Open MNIST folder…* or ``--data``),
and the detail of each mirror.
"""

from __future__ import annotations

import errno
import http.client
import socket
import ssl
import urllib.error
import urllib.parse

_OFFLINE_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}
# getaddrinfo's "Temporary failure in name resolution": no DNS server could be asked at all
_RESOLVER_UNREACHABLE = {getattr(socket, "EAI_AGAIN", -3)}

HEADLINES = {
    "offline": "No internet connection: the download servers cannot be reached from this "
               "computer. Check that it is online (network cable or Wi-Fi), then try again.",
    "dns": "The download servers' names could not be looked up (DNS): this computer may be "
           "offline, or its name service may not work. Check the internet connection, then try "
           "again.",
    "refused": "The download servers refused the connection: a firewall or proxy may be "
               "blocking them. Try again later or from another network.",
    "timeout": "The download servers did not answer within {timeout:g} s: the connection is "
               "too slow or something blocks it. Try again later.",
    "http": "The download servers would not send the file ({codes}): it may have moved, or the "
            "servers may be down for a while. Try again later.",
    "broken": "The download servers sent incomplete or damaged data, which was thrown away. "
              "Try again later.",
    "tls": "The secure connection to the download servers failed: check the computer's date "
           "and time, or a proxy that intercepts connections.",
}
MIXED = "MNIST could not be downloaded: each download server failed (see below)."
BY_HAND = ("Or download {names} by hand, e.g. from {mirror}, into one folder and open it: "
           "File → Open MNIST folder… in the window, --data FOLDER (or MNIST_DIR=FOLDER) on the "
           "command line.")


class BadDownload(Exception):
    """A mirror sent something other than the file (short, too long, wrong checksum)."""


def network_failure(e: BaseException, timeout: float) -> tuple[str, str]:
    """(kind, detail) of what went wrong fetching from one mirror; kind is a key of
    HEADLINES or "other"."""
    if isinstance(e, urllib.error.HTTPError):
        return "http", f"HTTP error {e.code} {e.reason}"
    if isinstance(e, urllib.error.URLError) and isinstance(e.reason, BaseException):
        e = e.reason
    if isinstance(e, socket.gaierror):
        kind = "offline" if e.errno in _RESOLVER_UNREACHABLE else "dns"
        return kind, f"cannot look up the server's name ({e.strerror or e})"
    if isinstance(e, TimeoutError):
        return "timeout", f"timed out (no data for {timeout:g} s)"
    if isinstance(e, ConnectionRefusedError):
        return "refused", "connection refused (nothing accepts connections there)"
    if isinstance(e, ssl.SSLError):
        return "tls", f"secure connection failed ({e.reason or e})"
    if isinstance(e, OSError) and e.errno in _OFFLINE_ERRNOS:
        return "offline", f"cannot connect: {e.strerror}"
    if isinstance(e, http.client.IncompleteRead):
        return "broken", (f"connection cut: got {len(e.partial):,} bytes, {e.expected or '?'} "
                          "more expected")
    if isinstance(e, BadDownload):
        return "broken", str(e)
    if isinstance(e, urllib.error.URLError):
        return "other", f"cannot connect: {e.reason}"
    if isinstance(e, OSError) and e.strerror:
        return "other", f"cannot connect: {e.strerror}"
    return "other", str(e) or type(e).__name__


def explain(name: str, failures: list[tuple[str, str, str]], files: list[str],
            timeout: float) -> str:
    """The message for ``name`` failing at every mirror: (mirror, kind, detail) each."""
    kinds = {kind for _, kind, _ in failures}
    kind = kinds.pop() if len(kinds) == 1 else "mixed"
    codes = ", ".join(sorted({d.removeprefix("HTTP error ") for _, k, d in failures
                              if k == "http"}))
    headline = HEADLINES.get(kind, MIXED).format(timeout=timeout, codes=f"HTTP {codes}")
    names = " and ".join([", ".join(files[:-1]), files[-1]] if len(files) > 1 else files)
    by_hand = BY_HAND.format(names=names, mirror=failures[0][0] if failures else "a mirror")
    details = "\n".join(f"  {mirror}: {detail}" for mirror, _, detail in failures)
    return f"{headline}\n\n{by_hand}\n\nCould not download {name} from any mirror:\n{details}"
