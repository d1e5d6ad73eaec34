"""The canonical record and its seal, without the database (STYLE.md §1.7)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from netral.core import sealing
from netral.declarations import signing

GOLDEN = Path(__file__).parent / "golden" / "canonical_record.json"


@dataclass
class Stored:
    code: str = "0b8f7a3e-5c1d-4e2f-9a6b-7c8d9e0f1a2b"
    pledge_snapshot: dict[str, Any] = field(
        default_factory=lambda: {
            "title": "Ikrar Netralitas",
            "kind": "IKRAR_NETRALITAS",
            "version": 2,
            "family": "ignored-by-the-record",
            "preamble": "Kami berikrar:",
            "points": ["Menjaga netralitas.", "Menolak politik uang."],
            "closing": "Demikian.",
        }
    )
    event_snapshot: dict[str, Any] = field(
        default_factory=lambda: {
            "code": "11111111-2222-3333-4444-555555555555",
            "title": "Deklarasi Kecamatan",
            "date": "2024-09-20",
            "venue": "Aula Kantor Camat",
            "region": "64.08.04",
            "organiser": "Panwaslu Kecamatan Sangatta Utara",
        }
    )
    signer_name: str = "Hasanuddin, S.Sos."
    signer_title: str = "Camat Sangatta Utara"
    signer_institution: str = "Pemerintah Kabupaten Kutai Timur"
    method: str = "INSTITUTIONAL"
    signed_at: dt.datetime = dt.datetime(2024, 9, 20, 2, 30, 15, tzinfo=dt.UTC)
    seal_key_id: str = ""
    seal_signature: str = ""
    seal_digest: str = ""
    seal_algorithm: str = "Ed25519"
    revoked_at: dt.datetime | None = None

    def sealed(self) -> Stored:
        stored = sealing.seal(signing.record_of(self))
        self.seal_key_id, self.seal_signature, self.seal_digest = (
            stored.key_id,
            stored.signature,
            stored.digest,
        )
        return self


def test_the_canonical_record_matches_the_golden_file() -> None:
    record = signing.record_of(Stored())
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert record == expected
    # and the exact signed bytes, so a change of serialisation is caught too
    assert sealing.canonical_bytes(record) == sealing.canonical_bytes(expected)


def test_the_record_holds_no_personal_identifiers() -> None:
    text = json.dumps(signing.record_of(Stored()))
    for key in ("nip", "nik", "nrp", "ni_pppk", "email", "phone"):
        assert f'"{key}"' not in text


def test_time_is_utc_whole_seconds_whatever_the_zone() -> None:
    wib = dt.timezone(dt.timedelta(hours=7))
    assert (
        signing.format_time(dt.datetime(2024, 9, 20, 9, 30, 15, 999, tzinfo=wib))
        == "2024-09-20T02:30:15Z"
    )


@pytest.mark.parametrize(
    ("field_name", "value"),
    [
        ("signer_name", "Orang Lain"),
        ("method", "ONLINE_OTP"),
        ("signed_at", dt.datetime(2024, 9, 21, 2, 30, 15, tzinfo=dt.UTC)),
    ],
)
def test_a_changed_field_makes_the_seal_invalid(field_name: str, value: Any) -> None:
    stored = Stored().sealed()
    assert signing.verification_status(stored) == signing.VerificationStatus.VALID
    setattr(stored, field_name, value)
    assert signing.verification_status(stored) == signing.VerificationStatus.INVALID


def test_a_changed_point_of_the_text_makes_the_seal_invalid() -> None:
    stored = Stored().sealed()
    stored.pledge_snapshot["points"][1] = "Menerima politik uang."
    assert signing.verification_status(stored) == signing.VerificationStatus.INVALID


def test_revoked_is_reported_only_for_an_intact_record() -> None:
    stored = Stored().sealed()
    stored.revoked_at = dt.datetime(2024, 10, 1, tzinfo=dt.UTC)
    assert signing.verification_status(stored) == signing.VerificationStatus.REVOKED
    stored.signer_title = "Bupati"
    assert signing.verification_status(stored) == signing.VerificationStatus.INVALID


def test_old_seals_stay_valid_after_key_rotation() -> None:
    stored = Stored().sealed()
    old_key = stored.seal_key_id
    new_key = sealing.key_store().rotate()
    assert new_key != old_key
    assert signing.verification_status(stored) == signing.VerificationStatus.VALID
    fresh = Stored(signer_name="Pejabat Baru").sealed()
    assert fresh.seal_key_id == new_key


def test_a_seal_from_an_unknown_key_is_invalid() -> None:
    stored = Stored().sealed()
    stored.seal_key_id = "0" * 16
    assert signing.verification_status(stored) == signing.VerificationStatus.INVALID
