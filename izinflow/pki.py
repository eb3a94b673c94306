"""Signing keys and certificates of the offices (edge: reads and writes key files).

Two sources, one layout. A signing directory holds, per signer code (the office code, e.g.
``rokan-hilir``, for the office's head; ``<office>-dinkes``, e.g. ``bontang-dinkes``, for the head of
the Dinas Kesehatan that signs its own recommendation on the office's cases):

- ``<signer>.p12``: PKCS#12 with the signatory's private key, certificate and, optionally, the CA
  chain; or
- ``<signer>.key.pem`` + ``<signer>.cert.pem``: the private key (PEM, encrypted or not) and certificate;

and for all signers:

- ``chain.pem`` (optional): intermediate CA certificates, embedded in each signature;
- ``roots.pem``: the trusted root certificates against which ``izinflow verify`` and
  ``renderers.signing.validate_pdf`` check signatures.

Production: ``IZINFLOW_SIGNING_DIR`` names that directory, holding the office's own key and
certificate (e.g. from BSrE) and its CA chain. The passphrase of a ``.p12`` or encrypted key is read
from ``IZINFLOW_SIGNING_PASSPHRASE_<SIGNER>`` (signer code upper-cased, ``-`` as ``_``, e.g.
``IZINFLOW_SIGNING_PASSPHRASE_ROKAN_HILIR``), else from ``IZINFLOW_SIGNING_PASSPHRASE``.

Demo: without ``IZINFLOW_SIGNING_DIR``, ``ensure_demo_pki`` creates (once) under ``<home>/pki/`` a
local root CA "izinflow DEMO Root CA" and one ECDSA P-256 signing key and certificate per signer
(CN = the signatory's name, O = the office, title = the jabatan), in the same layout (PEM,
unencrypted, keys readable by the owner only). Documents signed with it verify only against that
demo root.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID, ObjectIdentifier
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from checklists.model import OfficeProfile

SIGNING_DIR_ENV = "IZINFLOW_SIGNING_DIR"
PASSPHRASE_ENV = "IZINFLOW_SIGNING_PASSPHRASE"
DEMO_ROOT_NAME = "izinflow DEMO Root CA"
ROOTS_FILE = "roots.pem"
CHAIN_FILE = "chain.pem"
_DEMO_ROOT_KEY = "demo-root-ca.key.pem"
_DEMO_ROOT_YEARS = 20
_DEMO_SIGNER_YEARS = 5
_RENEW_BEFORE = timedelta(days=30)
_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning (RFC 9336)


class PkiError(Exception):
    """Signing material missing or unreadable; the message is for the clerk or administrator."""


@dataclass(frozen=True)
class SignerIdentity:
    """Whose certificate signs: an office's head, or the head of the office's Dinas Kesehatan."""

    code: str  # file name stem in the signing directory
    nama: str
    jabatan: str
    organisation: str
    city: str


def signer_identity(office: OfficeProfile, *, dinas_kesehatan: bool = False) -> SignerIdentity:
    if not dinas_kesehatan:
        s = office.signatory
        return SignerIdentity(office.code, s.nama, s.jabatan, office.name, office.city)
    if office.dinas_kesehatan is None:
        raise PkiError(f"Profil {office.name} tidak memuat data Dinas Kesehatan penanda tangan rekomendasi.")
    dinkes = office.dinas_kesehatan
    return SignerIdentity(f"{office.code}-dinkes", dinkes.signatory.nama, dinkes.signatory.jabatan, dinkes.name,
                          office.city)


def signer_identities(office: OfficeProfile) -> tuple[SignerIdentity, ...]:
    """Every certificate the office's documents need."""
    own = signer_identity(office)
    return (own, signer_identity(office, dinas_kesehatan=True)) if office.dinas_kesehatan else (own,)


@dataclass(frozen=True)
class SigningMaterial:
    """A signer's loaded key, certificate and chain, and the roots that make it trusted."""

    signer_code: str
    signer: SimpleSigner
    trust_roots: tuple[asn1_x509.Certificate, ...]
    directory: Path

    @property
    def signer_name(self) -> str:
        return str(self.signer.signing_cert.subject.native.get("common_name", ""))


def signing_dir_from_env(environ: Mapping[str, str] | None = None) -> Path | None:
    value = (os.environ if environ is None else environ).get(SIGNING_DIR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def demo_pki_dir(home: Path) -> Path:
    return home / "pki"


def signing_material(office: OfficeProfile, *, home: Path, dinas_kesehatan: bool = False) -> SigningMaterial:
    """The office's signer (or its Dinas Kesehatan's): from ``IZINFLOW_SIGNING_DIR`` if set, else the
    demo PKI under ``home``."""
    directory = signing_dir_from_env()
    if directory is not None:
        return load_signing_material(directory, signer_identity(office, dinas_kesehatan=dinas_kesehatan).code)
    return ensure_demo_pki(home, office, dinas_kesehatan=dinas_kesehatan)


def trust_roots(home: Path) -> tuple[asn1_x509.Certificate, ...]:
    """The roots signatures are validated against: the production directory's, else the demo root.

    Without any PKI yet, no root at all: every signature is then reported as not trusted.
    """
    directory = signing_dir_from_env()
    if directory is not None:
        roots = _read_roots(directory)
        if not roots:
            raise PkiError(f"Berkas sertifikat akar {directory / ROOTS_FILE} tidak ada atau kosong.")
        return roots
    return _read_roots(demo_pki_dir(home))


def ensure_demo_pki_for_catalogue(home: Path, offices: Mapping[str, OfficeProfile] | None = None
                                  ) -> dict[str, SigningMaterial]:
    """The demo PKI for every office of the catalogue (``make demo``), created where missing; by signer code."""
    if offices is None:
        from checklists.load import load_catalogue

        offices = load_catalogue().offices
    materials: dict[str, SigningMaterial] = {}
    for _, office in sorted(offices.items()):
        ensure_demo_pki(home, office)
        for identity in signer_identities(office):
            materials[identity.code] = load_signing_material(demo_pki_dir(home), identity.code)
    return materials


def ensure_demo_pki(home: Path, office: OfficeProfile, *, dinas_kesehatan: bool = False) -> SigningMaterial:
    """The demo root CA and the office's signing keys under ``home/pki``, created once.

    A certificate is issued again (same root) when the signatory or office name in the profile no
    longer matches it, or when it is about to expire.
    """
    directory = demo_pki_dir(home)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    wanted = signer_identity(office, dinas_kesehatan=dinas_kesehatan)
    with _locked(directory):
        root_key, root_cert = _demo_root(directory)
        for identity in signer_identities(office):
            _ensure_signer(directory, identity, root_key, root_cert)
    return load_signing_material(directory, wanted.code)


def _ensure_signer(directory: Path, identity: SignerIdentity, root_key: ec.EllipticCurvePrivateKey,
                   root_cert: x509.Certificate) -> None:
    cert_path, key_path = directory / f"{identity.code}.cert.pem", directory / f"{identity.code}.key.pem"
    if cert_path.is_file() and key_path.is_file():
        current = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), None)
        if not _stale(current, identity, root_cert) and _same_public_key(key, current):
            return
    key = ec.generate_private_key(ec.SECP256R1())
    _write_private(key_path, _pem_key(key))
    _write(cert_path, _issue_signer_cert(identity, key, root_key, root_cert).public_bytes(serialization.Encoding.PEM))


def load_signing_material(directory: Path, signer_code: str) -> SigningMaterial:
    """A signer from a signing directory (layout in the module docstring), loaded once.

    Loaded objects are cached until one of the files changes, so signing many documents does not
    parse keys again.
    """
    directory = directory.resolve()
    files = [directory / f"{signer_code}{suffix}" for suffix in (".p12", ".key.pem", ".cert.pem")]
    files += [directory / CHAIN_FILE, directory / ROOTS_FILE]
    stamps = tuple((str(p), p.stat().st_mtime_ns) for p in files if p.is_file())
    return _load_cached(directory, signer_code, _passphrase(signer_code), stamps)


def _passphrase(signer_code: str) -> bytes | None:
    specific = f"{PASSPHRASE_ENV}_{signer_code.upper().replace('-', '_')}"
    value = os.environ.get(specific) or os.environ.get(PASSPHRASE_ENV)
    return value.encode() if value else None


@lru_cache(maxsize=32)
def _load_cached(directory: Path, signer_code: str, passphrase: bytes | None,
                 stamps: tuple[tuple[str, int], ...]) -> SigningMaterial:
    del stamps  # part of the cache key only
    chain = list(_read_certs(directory / CHAIN_FILE))
    p12 = directory / f"{signer_code}.p12"
    key_pem, cert_pem = directory / f"{signer_code}.key.pem", directory / f"{signer_code}.cert.pem"
    try:
        if p12.is_file():
            key, cert, extra = pkcs12.load_key_and_certificates(p12.read_bytes(), passphrase)
            if key is None or cert is None:
                raise PkiError(f"Berkas {p12} tidak memuat kunci privat dan sertifikat.")
            chain += [translate_pyca_cryptography_cert_to_asn1(c) for c in extra]
        elif key_pem.is_file() and cert_pem.is_file():
            key = serialization.load_pem_private_key(key_pem.read_bytes(), passphrase)
            cert = x509.load_pem_x509_certificate(cert_pem.read_bytes())
        else:
            raise PkiError(
                f"Kunci penandatanganan {signer_code} tidak ditemukan di {directory}: "
                f"diperlukan {p12.name}, atau {key_pem.name} dan {cert_pem.name}."
            )
    except (TypeError, ValueError) as exc:
        raise PkiError(
            f"Kunci penandatanganan {signer_code} di {directory} tidak dapat dibuka "
            "(kata sandi salah atau berkas rusak)."
        ) from exc
    if not _same_public_key(key, cert):
        raise PkiError(f"Kunci privat dan sertifikat {signer_code} di {directory} tidak berpasangan.")
    roots = _read_roots(directory)
    registry = SimpleCertificateStore()
    registry.register_multiple([*chain, *roots])
    signer = SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=registry,
    )
    return SigningMaterial(signer_code=signer_code, signer=signer, trust_roots=roots, directory=directory)


def _read_certs(path: Path) -> tuple[asn1_x509.Certificate, ...]:
    if not path.is_file():
        return ()
    try:
        return tuple(load_certs_from_pemder_data(path.read_bytes()))
    except ValueError as exc:
        raise PkiError(f"Berkas sertifikat {path} tidak dapat dibaca.") from exc


def _read_roots(directory: Path) -> tuple[asn1_x509.Certificate, ...]:
    return _read_certs(directory / ROOTS_FILE)


# --- the demo CA -------------------------------------------------------------------------------


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One process at a time creates the demo PKI (two roots would not trust each other's offices)."""
    with open(directory / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _demo_root(directory: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key_path, cert_path = directory / _DEMO_ROOT_KEY, directory / ROOTS_FILE
    if key_path.is_file() and cert_path.is_file():
        key = serialization.load_pem_private_key(key_path.read_bytes(), None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise PkiError(f"Kunci CA demo {key_path} bukan kunci EC.")
        return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "izinflow (DEMO, bukan untuk produksi)"),
        x509.NameAttribute(NameOID.COMMON_NAME, DEMO_ROOT_NAME),
    ])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365 * _DEMO_ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, _pem_key(key))
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def _subject(identity: SignerIdentity) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, identity.city),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, identity.organisation),
        x509.NameAttribute(NameOID.TITLE, identity.jabatan),
        x509.NameAttribute(NameOID.COMMON_NAME, identity.nama[:64]),
    ])


def _stale(cert: x509.Certificate, identity: SignerIdentity, root_cert: x509.Certificate) -> bool:
    """Issued for another signatory or office name, by another root, or about to expire."""
    try:
        cert.verify_directly_issued_by(root_cert)
    except (ValueError, TypeError, InvalidSignature):
        return True
    return cert.subject != _subject(identity) or cert.not_valid_after_utc - datetime.now(UTC) < _RENEW_BEFORE


def _issue_signer_cert(identity: SignerIdentity, key: ec.EllipticCurvePrivateKey,
                       root_key: ec.EllipticCurvePrivateKey, root_cert: x509.Certificate) -> x509.Certificate:
    now = datetime.now(UTC)
    root_ski = root_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(_subject(identity)).issuer_name(root_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(min(now + timedelta(days=365 * _DEMO_SIGNER_YEARS), root_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([_DOCUMENT_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .sign(root_key, hashes.SHA256())
    )


def _same_public_key(key: PrivateKeyTypes, cert: x509.Certificate) -> bool:
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return key.public_key().public_bytes(*spki) == cert.public_key().public_bytes(*spki)


def _key_usage(*, signing: bool = False, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing or cert_sign, content_commitment=signing, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
        encipher_only=False, decipher_only=False,
    )


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.fchmod(fd, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _write_private(path: Path, data: bytes) -> None:
    _write(path, data, 0o600)
