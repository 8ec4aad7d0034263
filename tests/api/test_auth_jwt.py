"""JWT bearer tokens of an identity provider, on every surface: HS256 with a secret file, RS256
and ES256 with keys from a JWKS file; the claims name the account (org = its uid) and the user
(sub = its id or email). Tokens are signed here with python3-jwt; every way a token can be
wrong is a 401."""
import base64
import json
import signal
import time

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from conftest import API, free_port, start_server

SECRET = "a shared secret of the tests, long enough for HS256"
ISSUER = "https://idp.example"
AUDIENCE = "contactd"


def b64url_int(value):
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Idp:
    """The identity provider of the tests: its keys, and the server trusting them."""

    def __init__(self, tmp_path):
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())
        self.other_rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        rsa_numbers = self.rsa.public_key().public_numbers()
        ec_numbers = self.ec.public_key().public_numbers()
        jwks = {"keys": [
            {"kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256",
             "n": b64url_int(rsa_numbers.n), "e": b64url_int(rsa_numbers.e)},
            {"kty": "EC", "kid": "ec-1", "crv": "P-256",
             "x": b64url(ec_numbers.x.to_bytes(32, "big")),
             "y": b64url(ec_numbers.y.to_bytes(32, "big"))},
            {"kty": "oct", "kid": "skipped", "k": b64url(b"not for signatures here")},
        ]}
        (tmp_path / "jwks.json").write_text(json.dumps(jwks))
        (tmp_path / "secret").write_text(SECRET + "\n")
        self.db = tmp_path / "jwt.db"
        self.port = free_port()
        self.proc = start_server(self.db, self.port, args=[
            "--jwt-secret-file", str(tmp_path / "secret"), "--jwt-jwks", str(tmp_path / "jwks.json"),
            "--jwt-issuer", ISSUER, "--jwt-audience", AUDIENCE])
        self.url = f"http://127.0.0.1:{self.port}"

    def claims(self, org, sub, **extra):
        now = int(time.time())
        return {"iss": ISSUER, "aud": AUDIENCE, "org": org, "sub": sub, "iat": now,
                "exp": now + 300, **extra}

    def hs256(self, claims, key=SECRET, **headers):
        return jwt.encode(claims, key, algorithm="HS256", headers=headers or None)

    def rs256(self, claims, key=None, kid="rsa-1"):
        return jwt.encode(claims, key or self.rsa, algorithm="RS256", headers={"kid": kid})

    def es256(self, claims, kid="ec-1"):
        return jwt.encode(claims, self.ec, algorithm="ES256", headers={"kid": kid})


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    provider = Idp(tmp_path_factory.mktemp("jwt"))
    yield provider
    provider.proc.send_signal(signal.SIGTERM)
    assert provider.proc.wait(timeout=30) == 0


@pytest.fixture(scope="module")
def org(idp):
    """An account with an editor named by email and a viewer named by id."""
    from conftest import BIN
    import subprocess

    def cli(*args):
        out = subprocess.run([BIN, *args, "--db", str(idp.db)], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout

    account = json.loads(cli("accounts", "create", "--name", "JWT Org"))
    editor = json.loads(cli("users", "create", "--account", str(account["id"]), "--role",
                            "editor", "--email", "ed@jwt.example").splitlines()[0])
    viewer = json.loads(cli("users", "create", "--account", str(account["id"]), "--role",
                            "viewer").splitlines()[0])
    return {"account": account, "editor": editor, "viewer": viewer}


def get(idp, path, token):
    return requests.get(idp.url + path, headers={"Authorization": f"Bearer {token}"})


def post(idp, path, token, body):
    return requests.post(idp.url + path, headers={"Authorization": f"Bearer {token}"}, json=body)


@pytest.mark.parametrize("sign", ["hs256", "rs256", "es256"])
def test_a_valid_token_authenticates_as_the_user_it_names(idp, org, sign):
    token = getattr(idp, sign)(idp.claims(org["account"]["uid"], "ed@jwt.example"))
    r = get(idp, API + "/me", token)
    assert r.status_code == 200, r.text
    me = r.json()["data"]
    assert me["id"] == org["editor"]["id"] and me["role"] == "editor"
    assert me["account"]["uid"] == org["account"]["uid"]


def test_the_user_may_be_named_by_id_and_keeps_its_role(idp, org):
    token = idp.rs256(idp.claims(org["account"]["uid"], str(org["viewer"]["id"])))
    assert get(idp, API + "/me", token).json()["data"]["role"] == "viewer"
    r = post(idp, "/api/v1/contacts", token, {"name": "Not Allowed"})
    assert r.status_code == 403 and r.json()["error"] == "FORBIDDEN"


def test_a_jwt_works_on_api_v1_as_the_seed_sends_it(idp, org):
    token = idp.hs256(idp.claims(org["account"]["uid"], "ed@jwt.example"))
    r = post(idp, "/api/v1/contacts", token, {"name": "Jwt Person", "email": "jp@jwt.example"})
    assert r.status_code == 201, r.text
    assert r.json()["organizationId"] == org["account"]["uid"]
    assert get(idp, f"/api/v1/contacts/{r.json()['id']}", token).status_code == 200


def unsigned(claims, alg="none"):
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    return f"{header}.{b64url(json.dumps(claims).encode())}."


def hs256_with_key(claims, key, kid=None):
    """HS256 signed with arbitrary bytes (python3-jwt refuses PEM keys as HMAC secrets)."""
    head = {"alg": "HS256", "typ": "JWT", **({"kid": kid} if kid is not None else {})}
    signing_input = f"{b64url(json.dumps(head).encode())}.{b64url(json.dumps(claims).encode())}"
    mac = hmac.HMAC(key, hashes.SHA256())
    mac.update(signing_input.encode())
    return f"{signing_input}.{b64url(mac.finalize())}"


def bad_tokens(idp, org):
    uid = org["account"]["uid"]
    good = idp.claims(uid, "ed@jwt.example")
    now = int(time.time())
    rsa_pem = idp.rsa.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    rs = idp.rs256(good).split(".")
    return {
        "alg none": unsigned(good),
        "alg none with a signature": unsigned(good) + "c2ln",
        # Algorithm confusion: the RSA public key (which attackers have) as an HMAC secret.
        "RSA public key as HS256 secret": hs256_with_key(good, rsa_pem, kid="rsa-1"),
        "wrong secret": idp.hs256(good, key="another secret entirely, also long enough"),
        "unknown key": idp.rs256(good, key=idp.other_rsa, kid="rsa-1"),
        "unknown kid": idp.rs256(good, kid="rsa-2"),
        "ES256 kid on RS256": idp.rs256(good, kid="ec-1"),
        "tampered claims": ".".join([rs[0], b64url(json.dumps(
            {**good, "sub": str(org["viewer"]["id"])}).encode()), rs[2]]),
        "expired": idp.hs256({**good, "exp": now - 3600}),
        "no exp": idp.hs256({k: v for k, v in good.items() if k != "exp"}),
        "not yet valid": idp.hs256({**good, "nbf": now + 3600}),
        "wrong issuer": idp.hs256({**good, "iss": "https://evil.example"}),
        "wrong audience": idp.hs256({**good, "aud": "someone-else"}),
        "no audience": idp.hs256({k: v for k, v in good.items() if k != "aud"}),
        "unknown organization": idp.hs256({**good, "org": "00000000-0000-4000-8000-000000000000"}),
        "unknown user": idp.hs256({**good, "sub": "nobody@jwt.example"}),
        "no org claim": idp.hs256({k: v for k, v in good.items() if k != "org"}),
        "HS384": jwt.encode(good, SECRET, algorithm="HS384"),
        "garbage": "a.b.c",
        "junk after an RS256 signature": idp.rs256(good) + "!!",
        "junk after an HS256 signature": idp.hs256(good) + "A",
        "access-token type": jwt.encode(good, SECRET, algorithm="HS256",
                                        headers={"typ": "at+jwt"}),
        "critical extension": jwt.encode(good, SECRET, algorithm="HS256",
                                         headers={"crit": ["exp"]}),
        "kid not a string": hs256_with_key(good, SECRET.encode(), kid=7),
    }


def test_every_kind_of_bad_token_is_401_on_every_surface(idp, org):
    for name, token in bad_tokens(idp, org).items():
        for path in (API + "/me", "/api/v1/contacts"):
            r = get(idp, path, token)
            assert r.status_code == 401, (name, path, r.text)
            assert r.headers["WWW-Authenticate"] == "Bearer"


def test_the_401_says_what_is_wrong(idp, org):
    tokens = bad_tokens(idp, org)
    expired = get(idp, "/api/v1/contacts", tokens["expired"]).json()
    assert expired["error"] == "UNAUTHORIZED" and "expired" in expired["message"]
    confusion = get(idp, API + "/me", tokens["RSA public key as HS256 secret"]).json()
    assert "signature" in confusion["error"]["message"]


def test_an_audience_list_holding_ours_is_accepted(idp, org):
    claims = idp.claims(org["account"]["uid"], "ed@jwt.example", aud=["other", AUDIENCE])
    assert get(idp, API + "/me", idp.es256(claims)).status_code == 200


def test_contactd_tokens_keep_working_beside_jwts(idp, org):
    from conftest import BIN
    import subprocess
    token = subprocess.run([BIN, "tokens", "create", "--account", str(org["account"]["id"]),
                            "--role", "admin", "--db", str(idp.db)],
                           capture_output=True, text=True).stdout.strip()
    assert get(idp, API + "/me", token).status_code == 200


def test_a_server_without_jwt_settings_refuses_jwts(server, tenant):
    token = jwt.encode({"org": tenant.account["uid"], "sub": "1", "exp": int(time.time()) + 60},
                       SECRET, algorithm="HS256")
    r = requests.get(server.api + "/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


@pytest.mark.parametrize("secret", ["short secret\n", "\n"])
def test_a_secret_under_32_bytes_stops_the_server_at_start(tmp_path, secret):
    import subprocess
    from conftest import BIN
    (tmp_path / "secret").write_text(secret)
    out = subprocess.run([BIN, "serve", "--db", str(tmp_path / "x.db"), "--listen",
                          f"127.0.0.1:{free_port()}",
                          "--jwt-secret-file", str(tmp_path / "secret")],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode != 0 and "32 bytes" in out.stderr


def test_a_bad_jwks_stops_the_server_at_start(tmp_path):
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [{"kty": "RSA", "n": "AQAB",
                                                              "e": "AQAB"}]}))
    import subprocess
    from conftest import BIN
    out = subprocess.run([BIN, "serve", "--db", str(tmp_path / "x.db"), "--listen",
                          f"127.0.0.1:{free_port()}", "--jwt-jwks", str(tmp_path / "jwks.json")],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode != 0 and "JWKS" in out.stderr
