"""Builders for WARC fixtures: records assembled byte by byte so tests can break them."""

from __future__ import annotations

import gzip
import random

WARC_DATE = "2024-05-18T01:58:14Z"


def http_response(
    body: bytes,
    content_type: str | None = "text/html; charset=utf-8",
    status: str = "200 OK",
    extra_headers: str = "",
) -> bytes:
    head = f"HTTP/1.1 {status}\r\n"
    if content_type is not None:
        head += f"Content-Type: {content_type}\r\n"
    head += f"Content-Length: {len(body)}\r\n{extra_headers}\r\n"
    return head.encode("latin-1") + body


def warc_record(
    block: bytes,
    url: str | None = "https://www.example.com/",
    rec_type: str = "response",
    content_type: str = "application/http; msgtype=response",
    content_length: int | None = None,
    extra: str = "",
) -> bytes:
    """One uncompressed WARC record (header + block + two CRLF)."""
    length = len(block) if content_length is None else content_length
    lines = [
        "WARC/1.0",
        f"WARC-Type: {rec_type}",
        f"WARC-Date: {WARC_DATE}",
        f"WARC-Record-ID: <urn:uuid:{random.getrandbits(128):032x}>",
    ]
    if url is not None:
        lines.append(f"WARC-Target-URI: {url}")
    lines += [f"Content-Type: {content_type}", f"Content-Length: {length}"]
    if extra:
        lines.append(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def html_record(html: bytes | str, url: str = "https://www.example.com/", **kwargs) -> bytes:
    body = html.encode("utf-8") if isinstance(html, str) else html
    ct = kwargs.pop("content_type", "text/html; charset=utf-8")
    return warc_record(http_response(body, ct), url=url, **kwargs)


def gz(record: bytes) -> bytes:
    """One gzip member, as in Common Crawl's per-record compressed WARC files."""
    return gzip.compress(record, compresslevel=6, mtime=0)


def page(title: str = "Acme GmbH", body: str = "", base: str | None = None) -> str:
    base_tag = f'<base href="{base}">' if base else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{base_tag}"
        f"<title>{title}</title></head><body>{body}</body></html>"
    )


def realistic_page(site: str, index: int, rng: random.Random, external: list[str]) -> str:
    """~40 KB company page with ~200 links, most internal, a partner section with externals."""
    nav = "".join(
        f'<li><a href="/{section}/{k}">{section.title()} {k}</a></li>'
        for section in ("products", "services", "about", "news")
        for k in range(20)
    )
    words = ["Wir", "entwickeln", "Maschinen", "für", "die", "Industrie", "und", "liefern"]
    paragraphs = []
    for k in range(60):
        text = " ".join(rng.choice(words) for _ in range(40))
        link = f'<a href="/article/{index}-{k}">mehr</a>' if k % 2 == 0 else ""
        paragraphs.append(f"<p>{text}. {link}</p>")
    partners = "".join(
        f"<li><p>Gemeinsam mit <a href='https://www.{d}/'>{d.split('.')[0].title()} AG</a>"
        f" realisieren wir Projekte.</p></li>"
        for d in external
    )
    footer = "".join(f'<a href="https://{site}/legal/{k}">Legal {k}</a>' for k in range(30))
    return page(
        title=f"{site} page {index}",
        body=(
            f"<header><nav><ul>{nav}</ul></nav></header><main><h1>{site}</h1>"
            f"{''.join(paragraphs)}<h2>Unsere Partner</h2><ul>{partners}</ul></main>"
            f"<footer>{footer}<p>Website by <a href='https://agentur.example/'>Agentur</a>"
            f"</p></footer>"
        ),
    )


def realistic_warc(records: int, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    out = []
    for i in range(records):
        site = f"www.firma{i % 50}.de"
        external = [f"partner{rng.randrange(500)}.com" for _ in range(12)]
        html = realistic_page(site, i, rng, external)
        out.append(gz(html_record(html, url=f"https://{site}/seite/{i}")))
    return b"".join(out)
