"""HTTP/1.1 over a plain socket, for requests `requests` cannot send and responses it would hide.

Not a test module: helpers shared by the API tests that need exact bytes on the wire.
"""
import json
import socket

import requests
from requests.structures import CaseInsensitiveDict


class RawResponse:
    def __init__(self, version, status, reason, headers, body):
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers  # [(name, value)] in the order sent, duplicates kept
        self.body = body

    def values(self, name):
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def header(self, name):
        values = self.values(name)
        return values[0] if values else None

    def json(self):
        """The body as JSON, decoded strictly as UTF-8 (a stray byte fails)."""
        return json.loads(self.body.decode("utf-8", errors="strict"))

    def as_requests(self):
        """A requests.Response with this status, headers and body (for conftest.assert_error)."""
        response = requests.Response()
        response.status_code = self.status
        response.headers = CaseInsensitiveDict({n: v for n, v in self.headers})
        response._content = self.body
        response.encoding = "utf-8"
        return response


def connect(port, timeout=10):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return sock


def send(sock, data):
    """Sends all bytes; a server that answers and closes before reading everything is not an error
    here (the response, if any, is read next)."""
    try:
        sock.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass


def read_response(reader, head=False):
    """Reads one response from `reader` (sock.makefile("rb")): status line, headers and a body
    framed by Content-Length or chunked encoding (none for HEAD, 1xx, 204, 304). Raises
    ConnectionError if the connection ends before a status line."""
    line = reader.readline(65536)
    if not line:
        raise ConnectionError("connection closed before a response")
    version, _, rest = line.decode("latin-1").rstrip("\r\n").partition(" ")
    status_text, _, reason = rest.partition(" ")
    status = int(status_text)
    headers = []
    while True:
        line = reader.readline(65536)
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    response = RawResponse(version, status, reason, headers, b"")
    if head or status in (204, 304) or 100 <= status < 200:
        return response
    if "chunked" in (response.header("Transfer-Encoding") or "").lower():
        body = b""
        while True:
            size = int(reader.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while reader.readline() not in (b"\r\n", b""):
                    pass
                break
            body += reader.read(size)
            reader.readline()
        response.body = body
    elif response.header("Content-Length") is not None:
        response.body = reader.read(int(response.header("Content-Length")))
    else:
        response.body = reader.read()
    return response


def exchange(port, data, head=False, timeout=10):
    """Sends `data` on a fresh connection and reads one response."""
    with connect(port, timeout) as sock:
        send(sock, data)
        return read_response(sock.makefile("rb"), head=head)


def read_to_eof(sock):
    """Every byte the server sends until it closes the connection (or the socket times out)."""
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def split_head(raw):
    """(status code, header bytes, bytes after the blank line) of a raw response."""
    head, sep, rest = raw.partition(b"\r\n\r\n")
    assert sep, raw[:200]
    return int(head.split(b" ", 2)[1]), head, rest
