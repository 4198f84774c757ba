"""A real HTTP file server on 127.0.0.1 that honours single byte ranges, for the targeted
read tests: ``206 Partial Content`` with ``Content-Range``, ``416`` for a range past the
end, ``HEAD`` with ``Content-Length`` — and faults on demand: ``503`` on every n-th
request, connections dropped (before the answer, or half-way through the body) on every
m-th, and files whose ranges come back short (the wrong length, with a consistent
``Content-Length``), as a misbehaving proxy would.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


@dataclass
class Faults:
    """What the server does wrong, deterministically by request number (1-based)."""

    status_503_every: int = 0
    drop_every: int = 0  # odd drops: before any answer; even drops: half-way through the body
    short_by: dict[str, int] = field(default_factory=dict)  # path suffix -> bytes left out


@dataclass
class ServerLog:
    requests: int = 0
    ranges: int = 0
    served_503: int = 0
    dropped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_request(self) -> int:
        with self.lock:
            self.requests += 1
            return self.requests


def _handler(root: Path, faults: Faults, log: ServerLog):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _file(self) -> Path | None:
            relative = self.path.split("?", 1)[0].lstrip("/")
            path = root / relative
            if ".." in Path(relative).parts or not path.is_file():
                return None
            return path

        def do_HEAD(self) -> None:  # noqa: N802
            log.next_request()
            path = self._file()
            if path is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(path.stat().st_size))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            number = log.next_request()
            if faults.status_503_every and number % faults.status_503_every == 0:
                with log.lock:
                    log.served_503 += 1
                self.send_error(503, "Slow Down")
                return
            drop = faults.drop_every and number % faults.drop_every == 0
            if drop and (number // faults.drop_every) % 2 == 1:
                with log.lock:
                    log.dropped += 1
                self.close_connection = True
                self.connection.shutdown(2)
                return
            path = self._file()
            if path is None:
                self.send_error(404)
                return
            size = path.stat().st_size
            header = self.headers.get("Range")
            if header is None:
                body = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            match = _RANGE.match(header.strip())
            if not match:
                self.send_error(400, "only single byte ranges are served")
                return
            start = int(match[1])
            end = min(int(match[2]) if match[2] else size - 1, size - 1)
            if start >= size or end < start:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with path.open("rb") as handle:
                handle.seek(start)
                body = handle.read(end - start + 1)
            short = next((n for s, n in faults.short_by.items() if self.path.endswith(s)), 0)
            if short:
                body = body[: max(0, len(body) - short)]
            with log.lock:
                log.ranges += 1
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.send_header("Content-Length", str(end - start + 1 - short if short else len(body)))
            self.end_headers()
            if drop:  # even drops: half the body, then the connection goes
                with log.lock:
                    log.dropped += 1
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self.wfile.write(body)

    return Handler


@contextmanager
def range_server(root: str | os.PathLike, faults: Faults | None = None) -> Iterator[tuple]:
    """Serve ``root`` on a free loopback port; yields (base URL, :class:`ServerLog`)."""
    log = ServerLog()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Path(root), faults or Faults(), log))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()


def mirror_with_index_listing(source: Path, dest: Path) -> Path:
    """A mirror of ``source`` (symlinks) that also has each crawl's
    ``cc-index-table.paths.gz``, the listing Common Crawl publishes beside ``warc.paths.gz``
    and the only way to find the index files over HTTPS."""
    import gzip

    dest.mkdir(parents=True, exist_ok=True)
    (dest / "cc-index").symlink_to((source / "cc-index").resolve())
    for crawl_dir in (source / "crawl-data").iterdir():
        mine = dest / "crawl-data" / crawl_dir.name
        mine.mkdir(parents=True)
        for item in crawl_dir.iterdir():
            (mine / item.name).symlink_to(item.resolve())
        index_files = sorted(
            str(p.relative_to(source))
            for p in (source / "cc-index").rglob(f"crawl={crawl_dir.name}/*/*.parquet")
        )
        listing = gzip.compress(("\n".join(index_files) + "\n").encode(), mtime=0)
        (mine / "cc-index-table.paths.gz").write_bytes(listing)
    return dest
