"""A moto S3 server on 127.0.0.1 (random free port) standing in for S3 over real HTTP."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import boto3

REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def moto_s3_server() -> Iterator[str]:
    """Start ``ThreadedMotoServer`` bound to loopback only; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str):
    return boto3.client("s3", region_name=REGION, endpoint_url=endpoint)


def split_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def read_uri(client, uri: str) -> bytes:
    bucket, key = split_uri(uri)
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


def put_gzip(client, uri: str, text: str) -> None:
    bucket, key = split_uri(uri)
    client.put_object(Bucket=bucket, Key=key, Body=gzip.compress(text.encode()))


def all_objects(client, bucket: str) -> dict[str, bytes]:
    """Every object of a bucket (for the secret scan)."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            found[obj["Key"]] = client.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
    return found
