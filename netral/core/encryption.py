"""Encryption at rest for personal data (issue 14 point 15; UU 27/2022 PDP art. 35 and 39,
DOMAIN.md §11.1: NIK and a confidential reporter's identity are personal data to protect).

- Values are sealed with AES-256-GCM (authenticated: a changed byte fails to decrypt). The
  stored text is ``nx1:<key id>:<base64url(nonce || ciphertext || tag)>``; the key id names
  the data key, so rows sealed before a rotation still decrypt, and the column's name
  (``app.model.field``) is the associated data, so a value copied into another column does
  not decrypt there.
- Exact search and uniqueness use a blind index: HMAC-SHA256 of the normalised value with a
  separate index key, truncated to 128 bits (32 hex digits).
- Keys are files in NETRAL_DATA_KEY_DIR (by default the signing key directory, so `netral
  backup` carries them): ``data-<key id>.key`` (32 random bytes, base64, 0600),
  ``data-active`` naming the key for new values, ``index.key`` for the blind index. They are
  created on first use, like the signing keys, and never stored in the database.
- A value that cannot be decrypted raises DecryptionError naming the column and the key,
  never returns garbage.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import hashlib
import hmac
import os
import re
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django import forms
from django.conf import settings
from django.core import validators
from django.db import models

PREFIX = "nx1:"
NONCE_BYTES = 12
INDEX_HEX = 32  # 128 bits of HMAC-SHA256
_ACTIVE = "data-active"
_INDEX = "index.key"
_KID_RE = re.compile(r"^[0-9a-f]{16}$")


class DecryptionError(Exception):
    """A stored value that cannot be decrypted: missing key, tampered or not encrypted."""


def key_dir() -> Path:
    configured = getattr(settings, "NETRAL_DATA_KEY_DIR", None)
    return Path(configured or settings.NETRAL_SIGNING_KEY_DIR)


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"netral-data-key:" + key).hexdigest()[:16]


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _read_key(path: Path) -> bytes:
    try:
        key = base64.b64decode(path.read_bytes().strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError(f"{path}: not a base64 key") from exc
    if len(key) != 32:
        raise DecryptionError(f"{path}: a key has 32 bytes, this one {len(key)}")
    return key


class KeyRing:
    """The data keys and the index key of one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ciphers: dict[str, AESGCM] = {}
        self._index_key: bytes | None = None

    # -- data keys ------------------------------------------------------------------------

    def data_key_ids(self) -> list[str]:
        return sorted(p.name[5:-4] for p in self.directory.glob("data-*.key"))

    def active_id(self) -> str:
        pointer = self.directory / _ACTIVE
        if not pointer.exists():
            if self.data_key_ids():
                raise DecryptionError(
                    f"{pointer} is missing but data keys are there: restore it from the backup"
                    " (or name the key to use in it); no new key is made over existing ones"
                )
            self.index_key()  # a fresh install: the index key first, then the data key
            return self.rotate()
        kid = pointer.read_text(encoding="ascii").strip()
        if not _KID_RE.match(kid):
            raise DecryptionError(f"{pointer}: not a key id")
        return kid

    def cipher(self, kid: str) -> AESGCM:
        found = self._ciphers.get(kid)
        if found is None:
            if not _KID_RE.match(kid):
                raise DecryptionError(f"unknown data key id {kid!r}")
            path = self.directory / f"data-{kid}.key"
            if not path.exists():
                raise DecryptionError(
                    f"data key {kid} is not in {self.directory}: restore the key directory"
                    " from the backup (keys are never in the database)"
                )
            found = self._ciphers[kid] = AESGCM(_read_key(path))
        return found

    def rotate(self) -> str:
        """A new data key, made active; older keys stay so older values still decrypt."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = AESGCM.generate_key(bit_length=256)
        kid = _key_id(key)
        _write_new(self.directory / f"data-{kid}.key", base64.b64encode(key) + b"\n")
        tmp = self.directory / f"{_ACTIVE}.tmp"
        tmp.write_text(kid, encoding="ascii")
        tmp.replace(self.directory / _ACTIVE)
        return kid

    # -- blind index ------------------------------------------------------------------------

    def index_key(self) -> bytes:
        if self._index_key is None:
            self._index_key = self._load_index_key()
        return self._index_key

    def _load_index_key(self) -> bytes:
        path = self.directory / _INDEX
        if not path.exists():
            if self.data_key_ids():
                # Values exist that were indexed with a key that is gone: a new key would make
                # every exact search and uniqueness check silently miss.
                raise DecryptionError(
                    f"{path} is missing but data keys are there: restore it from the backup"
                )
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            with contextlib.suppress(FileExistsError):  # another process made it first
                _write_new(path, base64.b64encode(os.urandom(32)) + b"\n")
        return _read_key(path)


@functools.lru_cache(maxsize=8)
def _ring(directory: str, active_mtime: int) -> KeyRing:
    return KeyRing(Path(directory))


def key_ring() -> KeyRing:
    directory = key_dir()
    try:
        mtime = (directory / _ACTIVE).stat().st_mtime_ns
    except FileNotFoundError:
        mtime = 0
    return _ring(str(directory), mtime)


class Sealer:
    """Encrypts and indexes many values with the keys read once (the bulk import)."""

    def __init__(self, ring: KeyRing | None = None) -> None:
        ring = ring or key_ring()
        self.kid = ring.active_id()
        self._encrypt = ring.cipher(self.kid).encrypt
        self._head = f"{PREFIX}{self.kid}:"
        self._index_key = ring.index_key()

    def encrypt(self, value: str | None, aad: bytes) -> str | None:
        if value is None or value == "":
            return value
        nonce = os.urandom(NONCE_BYTES)
        body = nonce + self._encrypt(nonce, value.encode("utf-8"), aad)
        return self._head + base64.urlsafe_b64encode(body).rstrip(b"=").decode("ascii")

    def index(self, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        return self.index_normalised(normalise(value))

    def index_normalised(self, value: str) -> str:
        """The blind index of a value already in normal form (the import's validated NIK)."""
        return hmac.digest(self._index_key, value.encode("utf-8"), "sha256").hex()[:INDEX_HEX]

    def encrypt_many(self, values: list[str], aad: bytes) -> list[str]:
        """`encrypt` for a batch of non-empty values: one random read for all the nonces,
        and the base64url of `base64.urlsafe_b64encode` without its Python wrappers (the
        same text: binascii's base64 with `+/` translated to `-_`)."""
        nonces = os.urandom(NONCE_BYTES * len(values))
        encrypt, head, b64 = self._encrypt, self._head, binascii.b2a_base64
        urlsafe = _URLSAFE
        return [
            head
            + b64(
                (nonce := nonces[i * NONCE_BYTES : (i + 1) * NONCE_BYTES])
                + encrypt(nonce, value.encode("utf-8"), aad),
                newline=False,
            )
            .translate(urlsafe)
            .rstrip(b"=")
            .decode("ascii")
            for i, value in enumerate(values)
        ]

    def index_many(self, values: list[str]) -> list[str]:
        """`index_normalised` for a batch (values already in normal form): OpenSSL's
        one-shot HMAC without `hmac.digest`'s Python wrapper; the first 16 bytes in hex are
        the first 32 hex digits."""
        key, size = self._index_key, INDEX_HEX // 2
        return [_hmac_digest(key, value.encode("utf-8"), "sha256")[:size].hex() for value in values]


_URLSAFE = bytes.maketrans(b"+/", b"-_")
try:  # CPython's OpenSSL binding (what hmac.digest calls when it can)
    from _hashlib import hmac_digest as _hmac_digest
except ImportError:  # pragma: no cover - a Python without OpenSSL's hashlib
    _hmac_digest = hmac.digest


def normalise(value: str) -> str:
    """What the blind index hashes: no spaces, dots or dashes, letters in lower case (a NIK
    typed as '3201 0101-0101 0001' finds the one stored as '3201010101010001')."""
    return re.sub(r"[\s.\-]", "", value).lower()


def encrypt(value: str | None, aad: bytes) -> str | None:
    return Sealer().encrypt(value, aad)


def blind_index(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    mac = hmac.digest(key_ring().index_key(), normalise(value).encode("utf-8"), "sha256")
    return mac.hex()[:INDEX_HEX]


def key_id_of(stored: str) -> str | None:
    """The data key a stored value was sealed with (None: empty or not encrypted)."""
    if not stored or not stored.startswith(PREFIX):
        return None
    return stored[len(PREFIX) : len(PREFIX) + 16]


def decrypt(stored: str | None, aad: bytes, ring: KeyRing | None = None) -> str | None:
    if stored is None or stored == "":
        return stored
    where = aad.decode("ascii", "replace")
    if not stored.startswith(PREFIX):
        raise DecryptionError(f"{where}: the stored value is not encrypted (run the migrations)")
    kid, sep, body = stored[len(PREFIX) :].partition(":")
    if not sep:
        raise DecryptionError(f"{where}: malformed encrypted value")
    cipher = (ring or key_ring()).cipher(kid)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        plain = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError, binascii.Error) as exc:
        raise DecryptionError(
            f"{where}: the encrypted value fails authentication with key {kid}"
            " (changed in the database, or copied from another column)"
        ) from exc
    return plain.decode("utf-8")


# --- model fields -------------------------------------------------------------------------


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column holding AES-GCM ciphertext; Python sees the plaintext.

    The database cannot compare or search the plaintext: only `isnull` is allowed as a
    lookup (use a BlindIndexField for exact search). `max_length` bounds the plaintext (form
    and model validation); the column is unbounded text (ciphertext is longer). Empty text
    is stored empty (that a value is blank is not secret).
    """

    description = "Encrypted text"

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.multiline:
            kwargs["multiline"] = True
        return name, path, args, kwargs

    @property
    def aad(self) -> bytes:
        return f"{self.model._meta.label_lower}.{self.name}".encode("ascii")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if isinstance(value, str) and value.startswith(PREFIX):
            raise ValueError(f"{self.aad.decode()}: refusing to encrypt a value twice")
        return encrypt(value, self.aad)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt(value, self.aad)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            return None  # FieldError: the plaintext is not in the database
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        if not self.multiline:
            defaults: dict[str, Any] = {
                "form_class": forms.CharField,
                "max_length": self.max_length,
                "widget": forms.TextInput,
            }
            defaults.update(kwargs)
            return models.Field.formfield(self, **defaults)
        return super().formfield(**kwargs)


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The keyed hash of another field's plaintext, set on every save (and bulk_create)."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", INDEX_HEX)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = blind_index(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def mask(value: str | None, head: int, tail: int) -> str:
    if not value:
        return ""
    hidden = max(len(value) - head - tail, 0)
    return value[:head] + "*" * hidden + value[len(value) - tail :] if tail else value[:head]


class MaskField(models.CharField):  # type: ignore[type-arg]
    """The masked form of another field's plaintext (what lists and exports show), set on
    every save and bulk_create: pages and exports then never need to decrypt."""

    def __init__(self, *args: Any, source: str = "", head: int = 0, tail: int = 0, **kwargs: Any):
        self.source, self.head, self.tail = source, head, tail
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, head=self.head, tail=self.tail)
        return name, path, args, kwargs

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = mask(getattr(model_instance, self.source), self.head, self.tail)
        setattr(model_instance, self.attname, value)
        return value


class EncryptedEmailField(EncryptedTextField):
    """An encrypted e-mail address: validated as an e-mail, stored as ciphertext."""

    default_validators = [validators.validate_email]

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().formfield(
            **{"form_class": forms.EmailField, "widget": forms.EmailInput, **kwargs}
        )


# --- rewriting stored values (data migrations, key rotation) ------------------------------

RESEAL_BATCH = 1000


def encrypted_columns() -> list[tuple[str, str, str, bytes]]:
    """(table, primary key column, column, associated data) of every encrypted field."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                pk = model._meta.pk
                found.append((model._meta.db_table, pk.column, field.column, field.aad))
    return sorted(found)


def reseal_column(
    connection: Any,
    table: str,
    pk: str,
    column: str,
    aad: bytes,
    mode: str,
    *,
    dry_run: bool = False,
    progress: Any = None,
) -> int:
    """Rewrite one column in batches by primary key; returns the rows that were (or, on a
    dry run, would be) rewritten. `mode`: "encrypt" (plaintext rows only), "decrypt"
    (ciphertext rows only, for going back), "rotate" (ciphertext of any other key than the
    active one, decrypted and encrypted again with the active key)."""
    ring = key_ring()
    sealer = Sealer(ring) if mode != "decrypt" else None
    quote = connection.ops.quote_name
    t, p, c = quote(table), quote(pk), quote(column)
    changed = 0
    last: Any = None
    with connection.cursor() as cursor:
        while True:
            after = "" if last is None else f" AND {p} > %s"
            cursor.execute(
                f"SELECT {p}, {c} FROM {t} WHERE {c} IS NOT NULL AND {c} <> ''{after}"  # noqa: S608
                f" ORDER BY {p} LIMIT {RESEAL_BATCH:d}",
                [] if last is None else [last],
            )
            rows = cursor.fetchall()
            if not rows:
                return changed
            last = rows[-1][0]
            updates = []
            for key, value in rows:
                encrypted = value.startswith(PREFIX)
                if mode == "encrypt" and not encrypted:
                    updates.append((sealer.encrypt(value, aad), key))  # type: ignore[union-attr]
                elif mode == "decrypt" and encrypted:
                    updates.append((decrypt(value, aad, ring), key))
                elif mode == "rotate" and encrypted and key_id_of(value) != sealer.kid:  # type: ignore[union-attr]
                    plain = decrypt(value, aad, ring)
                    updates.append((sealer.encrypt(plain, aad), key))  # type: ignore[union-attr]
            if updates and not dry_run:
                cursor.executemany(f"UPDATE {t} SET {c} = %s WHERE {p} = %s", updates)  # noqa: S608
            changed += len(updates)
            if progress is not None:
                progress(len(rows))


def reseal_migration(table: str, columns: list[str], label: str) -> Any:
    """A reversible RunPython that encrypts `columns` of `table` (AAD `label.column`)."""
    from django.db import migrations

    def run(mode: str) -> Any:
        def go(apps: Any, schema_editor: Any) -> None:
            for column in columns:
                aad = f"{label}.{column}".encode("ascii")
                reseal_column(schema_editor.connection, table, "id", column, aad, mode)

        return go

    return migrations.RunPython(run("encrypt"), run("decrypt"), elidable=False)


def text_column_migration(table: str, columns: dict[str, str]) -> Any:
    """PostgreSQL: varchar(n) -> text for columns that will hold ciphertext (reversible:
    `columns` maps each column to its old type). SQLite does not enforce the declared length,
    and an AlterField there would rebuild the table and drop its triggers: nothing to do."""
    from django.db import migrations

    def run(forwards: bool) -> Any:
        def go(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor != "postgresql":
                return
            quote = schema_editor.quote_name
            for column, old in columns.items():
                kind = "text" if forwards else old
                schema_editor.execute(
                    f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} TYPE {kind}"
                )

        return go

    return migrations.RunPython(run(True), run(False), elidable=False)
