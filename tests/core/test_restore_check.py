"""What a restore verifies before it reports success (netral/core/backup.py restore_check):
every sealed document, including the joint declarations and the patrol captures (whose
seals vouch for the SHA-256 of files held in the storage)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from netral.core.backup import restore_check
from netral.declarations import services as declarations
from netral.declarations.models import JointDeclaration
from tests.declarations.helpers import event, standard
from tests.patrol.conftest import uploaded_capture

pytestmark = pytest.mark.django_db


def _sealed(alice: Any) -> tuple[Any, JointDeclaration]:
    capture = uploaded_capture(alice)
    template = standard("deklarasi-pemilu-damai")
    ev = event(pledges=[template], actor=alice)
    for i in range(2):
        declarations.signature_institutional(
            event=ev, template=template, actor=alice, name=f"P {i}", title="K", institution="I"
        )
    joint = declarations.joint_declaration_issue(event=ev, template=template, actor=alice)
    return capture, joint


def test_a_restore_verifies_joint_declarations_and_patrol_captures(alice: Any) -> None:
    capture, joint = _sealed(alice)
    report = restore_check(manifest={"files": {}})
    assert (report.joint_declarations, report.captures, report.problems) == (1, 1, [])

    JointDeclaration.objects.filter(pk=joint.pk).update(record={**joint.record, "title": "altered"})
    (row,) = capture.files.all()
    default_storage.delete(row.file.name)
    assert default_storage.save(row.file.name, ContentFile(b"not the picture")) == row.file.name
    problems = restore_check(manifest={"files": {}}).problems
    assert f"joint declaration {joint.code}: its seal does not verify" in problems
    assert f"capture {capture.code}: {row.name} is changed" in problems

    default_storage.delete(row.file.name)
    problems = restore_check(manifest={"files": {}}).problems
    assert f"capture {capture.code}: {row.name} is missing" in problems
