"""Remote clients give up on an unreachable host within the configured limit (issue 16):
a closed port on 127.0.0.1, the real Databricks SDK and boto3 clients."""

from __future__ import annotations

import socket
import time

import pytest

from pipelines.runtimes.remote import DEFAULT_TIMEOUT_SECONDS, TIMEOUT_ENV, CloudClients


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


def test_the_default_limit_is_at_most_a_minute(monkeypatch) -> None:
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    assert CloudClients().timeout_seconds == DEFAULT_TIMEOUT_SECONDS <= 60
    monkeypatch.setenv(TIMEOUT_ENV, "7")
    assert CloudClients().timeout_seconds == 7


def test_databricks_client_fails_fast_on_an_unreachable_host(monkeypatch) -> None:
    monkeypatch.setenv("DATABRICKS_HOST", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("DATABRICKS_TOKEN", "dapi-not-a-real-token")
    monkeypatch.setenv(TIMEOUT_ENV, "3")
    client = CloudClients().databricks("")
    started = time.monotonic()
    with pytest.raises(Exception):  # noqa: B017 - the SDK's own timeout error types vary
        list(client.clusters.list())
    assert time.monotonic() - started < 3 + 15  # the SDK default was 300 s of retries


def test_boto_clients_fail_fast_on_an_unreachable_host(monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port()}")
    client = CloudClients(timeout_seconds=2).emr("eu-central-1")
    started = time.monotonic()
    with pytest.raises(Exception):  # noqa: B017 - botocore's EndpointConnectionError
        client.list_clusters()
    assert time.monotonic() - started < 2 * 3 + 10
