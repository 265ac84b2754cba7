"""Attacks on authentication, one way in per test: no key, a guessed key, a revoked or
expired key, brute force, and forged access tokens (bad signature, ``alg: none``, HS/RS
confusion, expired, wrong audience or issuer, a revoked client)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.services import access
from app.storage.access import AccessStore
from tests.api.conftest import JWT_SECRET, Server, make_server

ME = "/api/v1/me"


def _problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["type"].startswith("/problems/")
    return body


def test_a_valid_key_works_and_every_response_has_rate_limit_headers(server: Server) -> None:
    ok = server.client.get(ME, headers=server.h())
    assert ok.json()["user"] == "ana" and ok.json()["role"] == "admin"
    denied = server.client.get(ME)
    _problem(denied, 401)
    assert denied.headers["www-authenticate"].startswith("Bearer")
    for response in (ok, denied, server.client.get("/api/v1/health"), server.client.get("/docs")):
        for name in ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"):
            assert name in response.headers and "x-" + name in response.headers


def test_x_api_key_header_works_too(server: Server) -> None:
    response = server.client.get(ME, headers={"X-API-Key": server.keys["admin"]})
    assert response.status_code == 200


def test_a_guessed_key_with_a_real_prefix_is_refused(server: Server) -> None:
    real = server.keys["admin"]
    prefix = real.split("_")[1]
    guessed = f"cauce_{prefix}_{'A' * 43}"
    _problem(server.client.get(ME, headers={"Authorization": f"Bearer {guessed}"}), 401)


def test_a_revoked_key_stops_working_at_once(server: Server) -> None:
    key = server.key("temp", user="ana", name="temp", scopes=["read"])
    assert server.client.get(ME, headers=server.h("temp")).status_code == 200
    [record] = [r for r in access.list_credentials(server.workspace) if r.name == "temp"]
    revoked = server.client.delete(f"/api/v1/api-keys/{record.id}", headers=server.h())
    assert revoked.json()["revoked_at"] is not None
    _problem(server.client.get(ME, headers={"Authorization": f"Bearer {key}"}), 401)


def test_an_expired_key_is_refused(server: Server) -> None:
    store = server.workspace.store(AccessStore)
    user = store.ensure_user("ana")
    secret = "cauce_0123456789ab_" + "x" * 43
    store.create_credential(
        user.id,
        kind="api_key",
        name="old",
        prefix="0123456789ab",
        secret_hash=hashlib.sha256(secret.encode()).hexdigest(),
        scopes=["read"],
        rate_limit=60,
        expires_at=datetime.now(UTC) - timedelta(seconds=1),
    )
    _problem(server.client.get(ME, headers={"Authorization": f"Bearer {secret}"}), 401)


def test_brute_force_is_stopped_with_429_even_for_a_right_key_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for server in make_server(
        tmp_path, f"sqlite:///{tmp_path / 'm.db'}", monkeypatch, failed_auth_limit=5
    ):
        bad = {"Authorization": "Bearer cauce_000000000000_" + "b" * 43}
        codes = [server.client.get(ME, headers=bad).status_code for _ in range(8)]
        assert codes[:5] == [401] * 5 and codes[5:] == [429] * 3
        locked = server.client.get(ME, headers=server.h())
        _problem(locked, 429)
        assert int(locked.headers["retry-after"]) >= 1


def test_a_key_over_its_rate_gets_429_with_retry_after(server: Server) -> None:
    server.key("slow", user="ana", name="slow", scopes=["read"], rate_limit=3)
    codes = [server.client.get(ME, headers=server.h("slow")).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    last = server.client.get(ME, headers=server.h("slow"))
    _problem(last, 429)
    assert int(last.headers["retry-after"]) >= 1 and last.headers["ratelimit-remaining"] == "0"
    assert server.client.get(ME, headers=server.h()).status_code == 200  # per key


def test_a_scope_the_key_lacks_is_403_and_a_role_caps_the_scopes(server: Server) -> None:
    # the viewer's key was given "write", which a viewer's role does not allow
    assert server.client.get(ME, headers=server.h("viewer")).json()["scopes"] == ["read"]
    body = _problem(
        server.client.post("/api/v1/projects", headers=server.h("viewer"), json={"path": "/x"}),
        403,
    )
    assert "scope" in body["detail"]


# -- OAuth2 client credentials -------------------------------------------------------------------
def _client(server: Server, scopes: list[str] | None = None) -> access.NewCredential:
    return access.create_credential(
        server.workspace,
        user="ana",
        name="robot",
        scopes=scopes or ["read", "run"],
        kind="oauth_client",
    )


def _token(server: Server, client: access.NewCredential, **form: str) -> dict:  # type: ignore[type-arg]
    response = server.client.post(
        "/api/v1/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client.client_id,
            "client_secret": client.secret,
            **form,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()


def _claims(**override: object) -> dict:  # type: ignore[type-arg]
    now = int(time.time())
    return {
        "iss": "cauce",
        "aud": "cauce-api",
        "sub": "ana",
        "org": "default",
        "cid": "",
        "scope": "read",
        "iat": now,
        "exp": now + 300,
        **override,
    }


def test_client_credentials_give_a_token_that_works(server: Server) -> None:
    client = _client(server)
    token = _token(server, client)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 900
    me = server.client.get(ME, headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.json()["scopes"] == ["read", "run"]
    narrowed = _token(server, client, scope="read")
    me = server.client.get(ME, headers={"Authorization": f"Bearer {narrowed['access_token']}"})
    assert me.json()["scopes"] == ["read"]
    basic = base64.b64encode(f"{client.client_id}:{client.secret}".encode()).decode()
    response = server.client.post(
        "/api/v1/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200


def test_an_api_key_is_not_a_client_and_a_wrong_secret_is_refused(server: Server) -> None:
    key = server.keys["admin"]
    prefix = key.split("_")[1]
    for client_id, secret in ((f"cauce_{prefix}", key), ("cauce_" + "0" * 12, key)):
        response = server.client.post(
            "/api/v1/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": secret,
            },
        )
        _problem(response, 401)
    _problem(server.client.post("/api/v1/oauth/token", data={"grant_type": "password"}), 400)


def _refused(server: Server, token: str) -> None:
    _problem(server.client.get(ME, headers={"Authorization": f"Bearer {token}"}), 401)


@pytest.mark.parametrize(
    "override",
    [
        {"exp": int(time.time()) - 10},  # expired
        {"aud": "another-api"},  # wrong audience
        {"iss": "someone-else"},  # wrong issuer
    ],
    ids=["expired", "wrong-audience", "wrong-issuer"],
)
def test_tokens_with_bad_claims_are_refused(server: Server, override: dict) -> None:  # type: ignore[type-arg]
    client = _client(server)
    claims = _claims(cid=client.record.prefix, **override)
    _refused(server, jwt.encode(claims, JWT_SECRET, algorithm="HS256"))
    good = jwt.encode(_claims(cid=client.record.prefix), JWT_SECRET, algorithm="HS256")
    assert server.client.get(ME, headers={"Authorization": f"Bearer {good}"}).status_code == 200


def test_a_token_missing_exp_is_refused(server: Server) -> None:
    client = _client(server)
    claims = _claims(cid=client.record.prefix)
    del claims["exp"]
    _refused(server, jwt.encode(claims, JWT_SECRET, algorithm="HS256"))


def test_a_forged_signature_is_refused(server: Server) -> None:
    client = _client(server)
    _refused(
        server,
        jwt.encode(_claims(cid=client.record.prefix), "not-the-server-key" * 3, algorithm="HS256"),
    )
    real = _token(server, client)["access_token"]
    head, body, sig = real.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["scope"] = "admin read run write"  # escalate, keep the old signature
    tampered = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    _refused(server, f"{head}.{tampered}.{sig}")


def test_alg_none_is_refused(server: Server) -> None:
    client = _client(server)
    _refused(server, jwt.encode(_claims(cid=client.record.prefix), None, algorithm="none"))
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    body = base64.urlsafe_b64encode(json.dumps(_claims(cid=client.record.prefix)).encode())
    _refused(server, f"{header}.{body.decode().rstrip('=')}.")


def test_hs_rs_confusion_is_refused(server: Server) -> None:
    client = _client(server)
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = _claims(cid=client.record.prefix)
    _refused(server, jwt.encode(claims, private, algorithm="RS256"))  # RS256: not pinned
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # the classic swap: HS256 "signed" with a public key the attacker knows
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    import hmac as _hmac

    sig = _hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    forged = f"{header}.{body}.{base64.urlsafe_b64encode(sig).decode().rstrip('=')}"
    _refused(server, forged)


def test_revoking_a_client_ends_its_tokens_at_once(server: Server) -> None:
    client = _client(server)
    token = _token(server, client)["access_token"]
    assert server.client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    access.revoke_credential(server.workspace, client.record.id)
    _refused(server, token)
