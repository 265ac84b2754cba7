"""Sending to user-entered URLs safely: the SSRF guard, a pinned HTTP client, signatures.

**The guard** (:func:`check_url`, :func:`resolve_checked`). A URL must be ``http``/``https``
without a user or password. A host written as a number in any form but the canonical dotted
quad (``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``) is refused before anything is
resolved. The host is resolved and *every* address checked — IPv4-mapped IPv6
(``::ffff:127.0.0.1``) unwrapped first — and refused unless globally routable: loopback,
private, link-local (the cloud metadata service 169.254.169.254), shared, reserved, multicast
and unspecified addresses are all refused. An administrator allows a host on purpose with
``CAUCE_WEBHOOK_ALLOW_HOSTS`` (comma-separated host names, addresses or CIDR blocks).

**The address checked is the address connected to.** The client's connection pool uses
:class:`GuardedBackend`, an ``httpcore`` network backend whose ``connect_tcp`` resolves and
checks the host itself and opens the socket to the checked address: there is no second lookup
for a rebinding DNS server to answer differently. TLS still verifies the certificate against
the URL's host name (SNI), as ``httpcore`` starts TLS with the origin's host. Redirects are
never followed (a 3xx is a failed delivery), and proxies from the environment are not used.

**Signatures** follow the Standard Webhooks specification (:func:`sign`): ``webhook-id``,
``webhook-timestamp`` and ``webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>``
keyed by the bytes of a ``whsec_<base64>`` secret, so receivers verify with existing libraries.

httpx is imported only when something is sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import socket
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from app.i18n import _

if TYPE_CHECKING:
    import httpx

__all__ = [
    "ALLOW_HOSTS_ENV",
    "BlockedUrl",
    "NotificationError",
    "check_url",
    "new_signing_secret",
    "pinned_client",
    "resolve_checked",
    "sign",
]

ALLOW_HOSTS_ENV = "CAUCE_WEBHOOK_ALLOW_HOSTS"
_NUMERIC_LABEL = re.compile(r"0[xX][0-9a-fA-F]*|[0-9]+")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class NotificationError(ValueError):
    """Invalid notification input: an unknown channel or alert, a bad URL or address."""


class BlockedUrl(NotificationError):
    """A URL or address Cauce refuses to send to (the message says why)."""


def _allowed() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    hosts: set[str] = set()
    networks = []
    for item in os.environ.get(ALLOW_HOSTS_ENV, "").split(","):
        item = item.strip().lower().strip("[]")
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            hosts.add(item)
    return hosts, networks


def _unwrap(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in (ip.ipv4_mapped, ip.sixtofour):
            if inner is not None:
                return inner
        if ip.teredo is not None:
            return ip.teredo[1]
    return ip


def _refused(ip: IPAddress) -> bool:
    ip = _unwrap(ip)
    return (
        not ip.is_global
        or ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_address(host: str, ip: IPAddress) -> None:
    """Refuse ``ip`` (an address of ``host``) unless it is public or allowed by the admin."""
    hosts, networks = _allowed()
    if host.lower() in hosts or any(_unwrap(ip) in n or ip in n for n in networks):
        return
    if _refused(ip):
        raise BlockedUrl(
            _(
                "{host!r} resolves to {address}, a loopback, private, link-local or reserved "
                "address: refused (an administrator can allow it with {variable})"
            ).format(host=host, address=ip, variable=ALLOW_HOSTS_ENV)
        )


def _literal(host: str) -> IPAddress | None:
    """The address ``host`` is written as, or None for a name; non-canonical numbers refused."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if all(_NUMERIC_LABEL.fullmatch(label) for label in host.split(".")):
        raise BlockedUrl(
            _(
                "{host!r} is an address written in a non-canonical form (decimal, octal or "
                "hexadecimal): refused; write it as a dotted quad"
            ).format(host=host)
        )
    return None


def check_url(url: str, *, schemes: Iterable[str] = ("https", "http")) -> tuple[str, int]:
    """Check a URL's form (nothing is resolved); returns its host and port.

    >>> check_url("https://hooks.example.com/x")
    ('hooks.example.com', 443)
    >>> check_url("http://0177.0.0.1/")
    Traceback (most recent call last):
    ...
    app.services.notify_http.BlockedUrl: '0177.0.0.1' is an address written in a non-canonical form (decimal, octal or hexadecimal): refused; write it as a dotted quad
    """  # noqa: E501
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise BlockedUrl(
            _("{url!r} is not a valid URL: {error}").format(url=url, error=err)
        ) from None
    if parts.scheme not in tuple(schemes):
        raise BlockedUrl(
            _("{url!r}: the scheme must be one of {schemes}").format(
                url=url, schemes=", ".join(schemes)
            )
        )
    if parts.password is not None or (parts.username is not None and parts.scheme != "smtp"):
        raise BlockedUrl(_("{url!r}: a user or password in the URL is refused").format(url=url))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BlockedUrl(_("{url!r} has no host").format(url=url))
    ip = _literal(host)
    if ip is not None:
        check_address(host, ip)
    default = {"https": 443, "http": 80, "smtp": 587}.get(parts.scheme, 443)
    return host, port or default


def resolve_checked(host: str, port: int) -> list[str]:
    """Every address of ``host``, each checked; refused as a whole if any one is refused."""
    literal = _literal(host)
    if literal is not None:
        check_address(host, literal)
        return [str(literal)]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise OSError(_("cannot resolve {host!r}: {error}").format(host=host, error=err)) from None
    addresses: list[str] = []
    for *_rest, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        check_address(host, ip)
        if str(ip) not in addresses:
            addresses.append(str(ip))
    return addresses


def _backend() -> Any:
    import httpcore

    class GuardedBackend(httpcore.SyncBackend):
        """Resolves and checks the host, then connects to a checked address."""

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> Any:
            last: Exception | None = None
            for address in resolve_checked(host, port):
                try:
                    return super().connect_tcp(
                        address, port, timeout, local_address, socket_options
                    )
                except httpcore.ConnectError as err:
                    last = err
            raise last or httpcore.ConnectError(f"no address for {host}")

    return GuardedBackend()


def pinned_client(timeout: float = 10.0) -> httpx.Client:
    """An httpx client that connects only to checked addresses, follows no redirect and uses
    no proxy from the environment."""
    import httpcore
    import httpx

    transport = httpx.HTTPTransport(trust_env=False)
    # the pool httpx made, rebuilt with the guarded backend (httpx offers no argument for it)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=transport._pool._ssl_context,
        network_backend=_backend(),
    )
    return httpx.Client(
        transport=transport, follow_redirects=False, trust_env=False, timeout=timeout
    )


def new_signing_secret() -> str:
    """A new ``whsec_`` secret (24 random bytes)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    raw = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(raw, validate=True)
    except ValueError:
        raise ValueError(_("a signing secret must be whsec_ followed by base64")) from None


def sign(secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers of one delivery.

    >>> h = sign("whsec_" + base64.b64encode(b"k" * 24).decode(), "evt_1", 1700000000, b"{}")
    >>> sorted(h), h["webhook-signature"][:3]
    (['webhook-id', 'webhook-signature', 'webhook-timestamp'], 'v1,')
    """
    signed = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }
