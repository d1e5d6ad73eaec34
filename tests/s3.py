"""A real S3-compatible endpoint on loopback for tests: moto's server (ThreadedMotoServer) on
127.0.0.1 and a free port, reached over HTTP by boto3 and django-storages' S3Storage as a
MinIO or Ceph node would be (docs/decisions/0017-storage-layout.md).

Nothing leaves the machine: the credentials are dummies given in the environment (boto3 then
never asks the instance metadata service, which is switched off as well), no AWS config or
credentials file is read, and while an S3 test runs a guard refuses any socket connection
that is not to loopback (`loopback_only`)."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Iterator
from typing import Any

ACCESS_KEY = "netral-test-access"
SECRET_KEY = "netral-test-secret"
REGION = "us-east-1"
PREFIX = "media"

# What boto3 reads from the environment: dummy credentials first (so no credential provider
# further down the chain runs: no config files, no container or instance metadata lookups).
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": ACCESS_KEY,
    "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
AWS_ENV_UNSET = (
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
)

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class OffLoopbackError(RuntimeError):
    pass


@contextlib.contextmanager
def loopback_only() -> Iterator[list[str]]:
    """Refuse (and record) every socket connection that is not to loopback or a Unix socket."""
    refused: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def allowed(sock: socket.socket, address: Any) -> bool:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return True
        host = address[0] if isinstance(address, tuple) else str(address)
        return str(host) in LOOPBACK

    def connect(sock: socket.socket, address: Any) -> None:
        if not allowed(sock, address):
            refused.append(repr(address))
            raise OffLoopbackError(f"an S3 test tried to leave loopback: {address!r}")
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        if not allowed(sock, address):
            refused.append(repr(address))
            raise OffLoopbackError(f"an S3 test tried to leave loopback: {address!r}")
        return real_connect_ex(sock, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    try:
        yield refused
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]


@contextlib.contextmanager
def aws_environment() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in (*AWS_ENV, *AWS_ENV_UNSET)}
    os.environ.update(AWS_ENV)
    for key in AWS_ENV_UNSET:
        os.environ.pop(key, None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1 and a free port; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def new_bucket(endpoint: str) -> str:
    name = f"netral-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_bucket(Bucket=name)
    return name


def storage_env(endpoint: str, bucket: str) -> dict[str, str]:
    """The environment of config/settings.py that points a process at this bucket."""
    return {
        **AWS_ENV,
        "NETRAL_STORAGE": "s3",
        "NETRAL_S3_BUCKET": bucket,
        "NETRAL_S3_ENDPOINT_URL": endpoint,
        "NETRAL_S3_REGION": REGION,
        "NETRAL_S3_ACCESS_KEY": ACCESS_KEY,
        "NETRAL_S3_SECRET_KEY": SECRET_KEY,
        "NETRAL_S3_PREFIX": PREFIX,
    }


def storages_setting(endpoint: str, bucket: str) -> dict[str, dict[str, Any]]:
    """STORAGES as config/settings.py builds it from `storage_env(endpoint, bucket)` (a
    process started with that environment, e.g. the restore of tests/core/test_s3.py, reads
    it through config/settings.py itself)."""
    from django.conf import settings

    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "location": PREFIX,
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }


def objects(endpoint: str, bucket: str) -> dict[str, bytes]:
    """Every object of the bucket with its bytes, read with boto3 (not through Django)."""
    s3 = client(endpoint)
    found: dict[str, bytes] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            key = item["Key"]
            found[key] = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return found
