from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from netral.audit.hashing import GENESIS, entry_digest
from netral.audit.models import AuditEntry
from netral.audit.services import audit_record, audit_verify
from netral.registry.models import Region


def test_the_digest_is_stable_for_the_same_content() -> None:
    kwargs = dict(
        chain_key="x:1",
        seq=1,
        created_at=dt.datetime(2024, 2, 14, tzinfo=dt.UTC),
        actor_id=None,
        action="a",
        object_type="x",
        object_id="1",
        region_code="64",
        before=None,
        after={"b": 1, "a": [1, 2]},
        note="",
        prev_hash=GENESIS,
    )
    assert entry_digest(**kwargs) == entry_digest(**kwargs)  # type: ignore[arg-type]
    # golden value: changing the canonical form breaks every stored chain
    assert entry_digest(**kwargs) == (  # type: ignore[arg-type]
        "65383ee4c38e6607f21925e0e5af0b5e65ed064f88bcc0f86f8aaf96339ef5e9"
    )
    assert entry_digest(**{**kwargs, "note": "x"}) != entry_digest(**kwargs)  # type: ignore[arg-type]


def _record(region: Region, n: int) -> list[AuditEntry]:
    with transaction.atomic():
        return [
            audit_record(
                obj=region,
                action=f"test.step{i}",
                actor=None,
                before={"i": i},
                after={"i": i + 1},
                region_code=region.code,
            )
            for i in range(n)
        ]


def _disable_triggers() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER audit_entry_no_update")
            cur.execute("DROP TRIGGER audit_entry_no_delete")
        else:
            cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")


@pytest.mark.django_db
class TestAuditTrail:
    def test_entries_chain_per_object(self) -> None:
        kutim, bogor = Region.objects.get(code="64.08"), Region.objects.get(code="32.01")
        a = _record(kutim, 3)
        b = _record(bogor, 1)
        assert [e.seq for e in a] == [1, 2, 3]
        assert a[0].prev_hash == GENESIS
        assert a[1].prev_hash == a[0].hash
        assert b[0].seq == 1
        assert audit_verify().ok

    def test_the_database_refuses_to_edit_or_delete_an_entry(self) -> None:
        entry = _record(Region.objects.get(code="64.08"), 1)[0]
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(note="tampered")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).delete()

    def test_verify_audit_detects_an_edited_entry(self) -> None:
        # given
        entries = _record(Region.objects.get(code="64.08"), 3)
        _disable_triggers()
        # when: someone with database access rewrites history
        AuditEntry.objects.filter(pk=entries[1].pk).update(after={"i": 999})
        # then
        result = audit_verify()
        assert not result.ok
        assert [(b.chain_key, b.seq) for b in result.breaks] == [("registry.region:64.08", 2)]
        with pytest.raises(CommandError, match="1 kerusakan"):
            call_command("verify_audit")

    def test_verify_audit_detects_a_deleted_entry(self) -> None:
        entries = _record(Region.objects.get(code="64.08"), 3)
        _disable_triggers()
        AuditEntry.objects.filter(pk=entries[1].pk).delete()
        result = audit_verify()
        assert {b.seq for b in result.breaks} == {3}
        assert any("melompat" in b.problem for b in result.breaks)

    def test_verify_audit_passes_on_an_intact_trail(self, capsys) -> None:  # type: ignore[no-untyped-def]
        _record(Region.objects.get(code="64.08"), 2)
        call_command("verify_audit")
        assert "semua utuh" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_append_only_holds_outside_a_test_transaction_too() -> None:
    # given: a committed entry (transactional test; the flush afterwards must still work)
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS

    regions_load(path=SAMPLE_REGIONS, edition="sample")
    entry = _record(Region.objects.get(code="64.08"), 1)[0]
    # then
    with pytest.raises(DatabaseError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="tampered")
    assert audit_verify().ok
