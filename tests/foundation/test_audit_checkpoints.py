"""Sealed checkpoints of the audit trail (issue 14 §18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from netral.accounts.models import User
from netral.audit.checkpoints import audit_checkpoint_create, checkpoint_record
from netral.audit.models import AuditCheckpoint, AuditCheckpointHead, AuditEntry
from netral.audit.services import audit_record, audit_verify
from netral.core import sealing
from netral.registry.models import Region

pytestmark = pytest.mark.django_db


def _record(code: str, n: int, actor: User | None = None) -> list[AuditEntry]:
    region = Region.objects.get(code=code)
    with transaction.atomic():
        return [
            audit_record(
                obj=region, action=f"test.{i}", actor=actor, after={"i": i}, region_code=code
            )
            for i in range(n)
        ]


def _disable_triggers() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for name in (
                "audit_entry_no_update",
                "audit_entry_no_delete",
                "audit_auditcheckpoint_no_update",
                "audit_auditcheckpoint_no_delete",
                "audit_auditcheckpointhead_no_delete",
            ):
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks
            cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cur.execute("ALTER TABLE audit_auditcheckpoint DISABLE TRIGGER USER")
            cur.execute("ALTER TABLE audit_auditcheckpointhead DISABLE TRIGGER USER")


def test_every_shown_field_is_hashed_including_the_actor_name() -> None:
    officer = User.objects.create(username="andi", full_name="Andi")
    entry = _record("64.08", 1, actor=officer)[0]
    assert entry.hash_version == 2
    _disable_triggers()
    AuditEntry.objects.filter(pk=entry.pk).update(actor_label="Orang Lain")
    result = audit_verify()
    assert [(b.chain_key, b.seq) for b in result.breaks] == [("registry.region:64.08", 1)]


def test_a_checkpoint_is_sealed_with_the_ed25519_key() -> None:
    _record("64.08", 2)
    _record("32.01", 1)
    cp = audit_checkpoint_create()
    assert cp is not None
    assert (cp.number, cp.entries, cp.chains) == (1, 3, 2)
    assert sealing.verify(
        checkpoint_record(cp),
        sealing.Seal(key_id=cp.seal_key_id, signature=cp.seal_signature, digest=cp.digest),
    )
    assert audit_checkpoint_create() is None  # nothing new
    _record("64.08", 1)
    second = audit_checkpoint_create()
    assert second is not None
    assert second.prev_digest == cp.digest
    assert list(second.heads.values_list("chain_key", "seq")) == [("registry.region:64.08", 3)]
    assert audit_verify().ok


def test_verify_audit_reports_a_deleted_tail() -> None:
    entries = _record("64.08", 3)
    call_command("audit_checkpoint")
    _disable_triggers()
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()  # the chain still links up
    result = audit_verify()
    assert not result.ok
    assert any(
        b.chain_key == "registry.region:64.08" and "ujung rantai hilang" in b.problem
        for b in result.breaks
    )
    with pytest.raises(CommandError, match="kerusakan"):
        call_command("verify_audit")


def test_verify_audit_reports_a_deleted_whole_chain() -> None:
    _record("64.08", 2)
    _record("32.01", 2)
    call_command("audit_checkpoint")
    _disable_triggers()
    AuditEntry.objects.filter(chain_key="registry.region:32.01").delete()
    result = audit_verify()
    assert any(
        b.chain_key == "registry.region:32.01" and "seluruh rantai hilang" in b.problem
        for b in result.breaks
    )


def test_verify_audit_reports_a_forged_or_deleted_checkpoint() -> None:
    _record("64.08", 1)
    first = audit_checkpoint_create()
    _record("64.08", 1)
    audit_checkpoint_create()
    _record("64.08", 1)
    audit_checkpoint_create()
    assert audit_verify().ok
    _disable_triggers()
    AuditCheckpoint.objects.filter(pk=first.pk).update(entries=99)
    assert any("segel" in b.problem for b in audit_verify().breaks)
    AuditCheckpointHead.objects.filter(checkpoint__number=2).delete()
    AuditCheckpoint.objects.filter(number=2).delete()
    problems = [b.problem for b in audit_verify().breaks]
    assert any("#2 hilang" in p for p in problems)


def test_checkpoints_are_append_only() -> None:
    from django.db import DatabaseError

    _record("64.08", 1)
    cp = audit_checkpoint_create()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditCheckpoint.objects.filter(pk=cp.pk).update(entries=0)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditCheckpoint.objects.filter(pk=cp.pk).delete()


def test_checkpoints_export_for_a_witness_who_verifies_without_netral(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    _record("64.08", 2)
    audit_checkpoint_create()
    out = tmp_path / "checkpoints.jsonl"
    call_command("audit_checkpoint", "--export", str(out))
    [line] = out.read_text().splitlines()
    exported = json.loads(line)
    public = serialization.load_pem_public_key(exported["seal"]["public_key_pem"].encode())
    seal = sealing.Seal(
        key_id=exported["seal"]["key_id"],
        signature=exported["seal"]["signature"],
        digest=exported["digest"],
    )
    assert sealing.verify_record(exported["record"], seal, public)  # type: ignore[arg-type]
    exported["record"]["entries"] = 1
    assert not sealing.verify_record(exported["record"], seal, public)  # type: ignore[arg-type]


def test_the_transparency_page_shows_the_latest_checkpoint() -> None:
    _record("64.08", 2)
    cp = audit_checkpoint_create()
    body = Client().get(reverse("dashboards:transparency")).content.decode()
    assert cp.digest in body
    assert "Titik periksa #1" in body


def test_the_worker_seals_checkpoints_as_a_periodic_job(monkeypatch: pytest.MonkeyPatch) -> None:
    from django_tasks_db.management.commands import db_worker

    from netral.audit.jobs import audit_checkpoint_job
    from netral.jobs import worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda **kw: None)
    monkeypatch.setattr(worker, "close_old_connections", lambda **kw: None)
    from config import settings as production  # tests turn periodic scheduling off

    assert production.NETRAL_PERIODIC_JOBS["netral.audit.jobs.audit_checkpoint_job"] == 600
    _record("64.08", 2)
    audit_checkpoint_job.enqueue(key="audit-checkpoint-test", actor=None)
    worker.worker_run(batch=True)
    assert AuditCheckpoint.objects.count() == 1
