"""Secure connection settings: validated at start-up, secrets never shown (issue 5, point 8)."""

from __future__ import annotations

import io
import logging
import subprocess
from contextlib import redirect_stderr
from pathlib import Path

import faust
import pytest

from streams.app import create_app
from streams.cli import main
from streams.config import ConfigError, Settings
from streams.security import client_options, faust_credentials, ssl_context

SECRET = "s3cr3t-Pa55word"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A CA-less self-signed client certificate, its key encrypted with SECRET."""
    folder = tmp_path_factory.mktemp("certs")
    key, cert = folder / "client.key", folder / "client.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-days",
            "2",
            "-subj",
            "/CN=newsenrich-test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-passout",
            f"pass:{SECRET}",
        ],
        check=True,
        capture_output=True,
    )
    return {"cert": str(cert), "key": str(key)}


def env(**values: str) -> dict[str, str]:
    return {f"NEWSENRICH_{k.upper()}": v for k, v in values.items()}


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_ssl_settings_reach_both_kinds_of_client(mechanism: str) -> None:
    settings = Settings.from_env(
        env(
            security_protocol="SASL_SSL",
            sasl_mechanism=mechanism,
            sasl_username="svc",
            sasl_password=SECRET,
        )
    )
    options = client_options(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == mechanism
    assert options["sasl_plain_username"] == "svc" and options["sasl_plain_password"] == SECRET
    assert options["ssl_context"] is not None
    credentials = faust_credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.mechanism.value == mechanism and credentials.ssl_context is not None
    assert SECRET not in repr(settings) and SECRET not in repr(credentials)


def test_ssl_with_client_certificate_and_key_password(certs: dict[str, str]) -> None:
    settings = Settings.from_env(
        env(
            security_protocol="SSL",
            ssl_cafile=certs["cert"],
            ssl_certfile=certs["cert"],
            ssl_keyfile=certs["key"],
            ssl_key_password=SECRET,
        )
    )
    assert ssl_context(settings) is not None
    assert isinstance(faust_credentials(settings), faust.SSLCredentials)
    assert SECRET not in repr(settings)


@pytest.mark.parametrize(
    ("values", "names"),
    [
        ({"security_protocol": "SASL_SSL", "sasl_username": "svc"}, "NEWSENRICH_SASL_PASSWORD"),
        (
            {
                "security_protocol": "SASL_SSL",
                "sasl_mechanism": "MD5",
                "sasl_username": "svc",
                "sasl_password": SECRET,
            },
            "NEWSENRICH_SASL_MECHANISM",
        ),
        ({"sasl_username": "svc", "sasl_password": SECRET}, "NEWSENRICH_SECURITY_PROTOCOL"),
        ({"security_protocol": "TLS"}, "NEWSENRICH_SECURITY_PROTOCOL"),
        (
            {"security_protocol": "SSL", "ssl_cafile": "/nonexistent/ca.pem"},
            "NEWSENRICH_SSL_CAFILE",
        ),
        ({"security_protocol": "SSL", "ssl_certfile": __file__}, "NEWSENRICH_SSL_KEYFILE"),
    ],
)
def test_bad_settings_are_named_and_secrets_are_not(values: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env(**values))
    assert names in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_wrong_key_password_fails_at_start_up_without_echoing_it(
    certs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "not-the-" + SECRET
    values = env(
        security_protocol="SSL",
        ssl_certfile=certs["cert"],
        ssl_keyfile=certs["key"],
        ssl_key_password=wrong,
    )
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    err = io.StringIO()
    with redirect_stderr(err):
        status = main(["topics"])
    assert status == 2
    assert "NEWSENRICH_SSL_KEY_PASSWORD" in err.getvalue()
    assert wrong not in err.getvalue() and SECRET not in err.getvalue()


def test_the_worker_logs_the_connection_without_the_password(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    settings = Settings.from_env(
        env(
            security_protocol="SASL_SSL",
            sasl_mechanism="SCRAM-SHA-512",
            sasl_username="svc",
            sasl_password=SECRET,
            data_dir=str(tmp_path),
            web_port="0",
        )
    )
    with caplog.at_level(logging.DEBUG):
        create_app(settings)
    assert "'svc' (SCRAM-SHA-512)" in caplog.text
    assert SECRET not in caplog.text
