"""Secure broker connections: SSL (CA file, client certificate) and SASL (PLAIN, SCRAM).

Settings come from ``NEWSENRICH_SECURITY_PROTOCOL``, ``NEWSENRICH_SASL_*`` and
``NEWSENRICH_SSL_*`` (see the README) and are checked by ``Settings.check``; the SSL context is
built here once at start-up, so a wrong file or key password fails before the first poll, with
a message that names the variable but never a secret.
"""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

import faust

from streams.config import ConfigError, Settings


@cache
def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The client SSL context for SSL and SASL_SSL, None for plaintext; built once per settings
    (start-up validation, the Faust app and the admin client share it)."""
    if settings.security_protocol not in ("SSL", "SASL_SSL"):
        return None
    try:
        context = ssl.create_default_context(cafile=settings.ssl_cafile or None)
    except (ssl.SSLError, OSError) as exc:
        raise ConfigError(
            f"NEWSENRICH_SSL_CAFILE: not a usable CA file ({exc.strerror or exc})"
        ) from None
    if settings.ssl_certfile:
        try:
            context.load_cert_chain(
                settings.ssl_certfile,
                settings.ssl_keyfile,
                password=settings.ssl_key_password or None,
            )
        except (ssl.SSLError, OSError):
            # The library's message can echo file contents; ours names what to check.
            raise ConfigError(
                "NEWSENRICH_SSL_CERTFILE / NEWSENRICH_SSL_KEYFILE: the certificate and key do not "
                "load (wrong format, key not matching, or wrong NEWSENRICH_SSL_KEY_PASSWORD)"
            ) from None
    return context


def client_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for aiokafka clients (producer, consumer, admin)."""
    options: dict[str, Any] = {"security_protocol": settings.security_protocol}
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.security_protocol.startswith("SASL_"):
        options.update(
            sasl_mechanism=settings.sasl_mechanism,
            sasl_plain_username=settings.sasl_username,
            sasl_plain_password=settings.sasl_password,
        )
    return options


def faust_credentials(settings: Settings) -> faust.types.auth.CredentialsT | None:
    """The same settings as Faust's ``broker_credentials``."""
    context = ssl_context(settings)
    if settings.security_protocol.startswith("SASL_"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password,
            ssl_context=context,
            mechanism=settings.sasl_mechanism,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


def describe(settings: Settings) -> str:
    """One log line about the connection, without secrets."""
    text = f"{settings.bootstrap_servers} over {settings.security_protocol}"
    if settings.security_protocol.startswith("SASL_"):
        text += f" as {settings.sasl_username!r} ({settings.sasl_mechanism})"
    if settings.ssl_certfile:
        text += f" with client certificate {settings.ssl_certfile}"
    return text
