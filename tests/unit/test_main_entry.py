"""The entry point's aiohttp import (`pysubtensor.__main__.import_aiohttp`): the CA bundle is
hidden from OpenSSL only while aiohttp builds its client TLS contexts, the environment is
restored, and those contexts still verify through the certificate directory as the contexts
of a plain `import aiohttp` do: a certificate from a CA in the directory is accepted, one
from another CA refused.

Each case runs in a fresh interpreter (aiohttp builds its contexts once, at import).
Also: the version the node prints is the installed distribution's."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_START = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
_END = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _ca(common_name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(_START).not_valid_after(_END)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    return cert, key


def _leaf(ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, directory: Path, stem: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(2)
            .not_valid_before(_START).not_valid_after(_END)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_path, key_path = directory / f"{stem}.pem", directory / f"{stem}.key"
    cert_path.write_bytes(_pem(cert))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _subject_hash(common_name: str) -> str:
    """OpenSSL's `X509_NAME_hash` of a one-attribute name `CN=<ascii>`: the first four bytes
    (little-endian) of SHA-1 over the canonical encoding (lower-cased UTF8String, the RDN set
    without the outer sequence): the file name OpenSSL looks for in a certificate directory."""
    value = common_name.lower().encode()
    attribute = bytes([0x06, 0x03, 0x55, 0x04, 0x03]) + bytes([0x0C, len(value)]) + value
    rdn = bytes([0x30, len(attribute)]) + attribute
    canonical = bytes([0x31, len(rdn)]) + rdn
    return f"{int.from_bytes(hashlib.sha1(canonical).digest()[:4], 'little'):08x}"


#: In a fresh interpreter: import aiohttp (through the entry point or plainly), then a TLS
#: handshake in memory between aiohttp's verifying client context and a server with each leaf.
_PROBE = """
import json, os, ssl, sys
if sys.argv[1] == "entry":
    from pysubtensor.__main__ import import_aiohttp
    import_aiohttp()
else:
    import aiohttp
from aiohttp import connector

def handshake(cert, key):
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    client = connector._SSL_CONTEXT_VERIFIED.wrap_bio(c_in, c_out, server_hostname="localhost")
    srv = server.wrap_bio(s_in, s_out, server_side=True)
    for _ in range(10):
        for side in (client, srv):
            try:
                side.do_handshake()
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLCertVerificationError as e:
                return "refused: " + e.verify_message
            except ssl.SSLError:
                pass  # the server's side of a refused handshake
        s_in.write(c_out.read())
        c_in.write(s_out.read())
    return "accepted"

print(json.dumps({"trusted": handshake(*sys.argv[2:4]), "other": handshake(*sys.argv[4:6]),
                  "ca_file": os.environ.get("SSL_CERT_FILE")}))
"""


def _probe(how: str, env: dict[str, str], *leaves: Path) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-c", _PROBE, how, *map(str, leaves)], env=env, check=True,
                         capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout)


def test_aiohttp_contexts_verify_through_the_certificate_directory_as_before(tmp_path: Path) -> None:
    certs = tmp_path / "certs"
    certs.mkdir()
    trusted, trusted_key = _ca("pysubtensor test CA")
    (certs / f"{_subject_hash('pysubtensor test CA')}.0").write_bytes(_pem(trusted))
    other, other_key = _ca("another test CA")
    leaves = (*_leaf(trusted, trusted_key, tmp_path, "trusted"), *_leaf(other, other_key, tmp_path, "other"))
    bundle = tmp_path / "bundle.pem"  # a CA bundle with only the other CA: hidden during the import
    bundle.write_bytes(_pem(other))

    env = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
    env["SSL_CERT_DIR"] = str(certs)
    for ca_file in (None, os.devnull):
        case = dict(env) if ca_file is None else {**env, "SSL_CERT_FILE": ca_file}
        plain, entry = _probe("plain", case, *leaves), _probe("entry", case, *leaves)
        assert plain == entry
        assert entry["trusted"] == "accepted"
        assert entry["other"].startswith("refused")
        assert entry["ca_file"] == ca_file  # restored (or still unset)
    # The bundle is what the entry point hides: a plain import trusts its CA, the entry point's
    # contexts do not (the node makes no client connections), and the variable is restored.
    plain = _probe("plain", {**env, "SSL_CERT_FILE": str(bundle)}, *leaves)
    entry = _probe("entry", {**env, "SSL_CERT_FILE": str(bundle)}, *leaves)
    assert plain["other"] == "accepted" and entry["other"].startswith("refused")
    assert entry["trusted"] == plain["trusted"] == "accepted"
    assert entry["ca_file"] == str(bundle)


def test_the_node_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    from pysubtensor.node.log import node_version, startup_banner

    assert node_version() == version("pysubtensor")
    banner = startup_banner(chain_name="Development", node_name="Alice", role="AUTHORITY", database_path="/tmp/x")
    assert banner[1] == f"✌️  version {version('pysubtensor')}"
