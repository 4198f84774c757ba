"""Reading inputs from a local folder, ``s3://`` or ``https://`` with one call.

Common Crawl is published both as ``s3://commoncrawl/`` and over HTTPS; a local mirror of
the same layout (``data_samples/commoncrawl``) is just a folder. Nothing here knows Spark.
"""

from __future__ import annotations

import os
import urllib.request
from typing import BinaryIO

from pyarrow import fs as pafs

#: Common Crawl's public bucket is read anonymously (no credentials involved).
PUBLIC_BUCKETS = ("commoncrawl",)


def join(root: str, *parts: str) -> str:
    return "/".join([root.rstrip("/"), *(p.strip("/") for p in parts)])


def _s3(uri: str) -> tuple[pafs.FileSystem, str]:
    bucket = uri.removeprefix("s3://").split("/", 1)[0]
    options: dict = {"region": os.environ.get("AWS_REGION", "us-east-1")}
    if bucket in PUBLIC_BUCKETS:
        options["anonymous"] = True
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        scheme, _, host = endpoint.partition("://")
        options.update(endpoint_override=host, scheme=scheme)
    return pafs.S3FileSystem(**options), uri.removeprefix("s3://")


def filesystem(uri: str) -> tuple[pafs.FileSystem, str]:
    """(pyarrow filesystem, path in it) for a local path, ``file://``, ``s3://``/``s3a://``
    (region, endpoint and anonymous access as above) or any URI pyarrow knows."""
    if is_local(uri):
        return pafs.LocalFileSystem(), uri.removeprefix("file://")
    if uri.startswith(("s3://", "s3a://")):
        return _s3(uri.replace("s3a://", "s3://", 1))
    return pafs.FileSystem.from_uri(uri)


def open_input(uri: str) -> BinaryIO:
    """Open a file for streaming reads, wherever it lives."""
    if uri.startswith(("http://", "https://")):
        return urllib.request.urlopen(uri, timeout=120)  # noqa: S310 (user-configured root)
    if uri.startswith(("s3://", "s3a://")):
        filesystem_, path = filesystem(uri)
        return filesystem_.open_input_stream(path)
    return open(uri.removeprefix("file://"), "rb")


def read_bytes(uri: str) -> bytes:
    with open_input(uri) as handle:
        return handle.read()


def exists(uri: str) -> bool:
    if uri.startswith(("http://", "https://")):
        try:
            with open_input(uri):
                return True
        except OSError:
            return False
    if uri.startswith(("s3://", "s3a://")):
        filesystem_, path = filesystem(uri)
        return filesystem_.get_file_info(path).type != pafs.FileType.NotFound
    return os.path.exists(uri.removeprefix("file://"))


def is_local(uri: str) -> bool:
    return "://" not in uri or uri.startswith("file://")


def remove_tree(uri: str) -> None:
    """Delete a staging folder (best effort: a leftover never affects a Delta table)."""
    if is_local(uri):
        import shutil

        shutil.rmtree(uri.removeprefix("file://"), ignore_errors=True)
        return
    try:
        filesystem_, path = filesystem(uri)
        filesystem_.delete_dir(path)
    except OSError:
        pass


def crawl_warc_segments(cc_root: str, crawl: str) -> dict[str, str]:
    """WARC path (relative to the root) -> segment key "00".."99", from the crawl's listing."""
    from extraction.commoncrawl import assign_segments, parse_warc_paths

    listing = join(cc_root, "crawl-data", crawl, "warc.paths.gz")
    if not exists(listing):
        raise FileNotFoundError(f"no WARC listing for crawl {crawl}: {listing}")
    return assign_segments(parse_warc_paths(read_bytes(listing)))
