"""Revealing an official's NIK (issue 14 §14).

The NIK (the population number) is masked everywhere by default (Official.nik_masked). An
officer whose role needs it (access.can_reveal_nik) may reveal it for one official with a
reason; every reveal is written to the audit trail with the reason, as a confidential
reporter's identity is (netral/cases/services.py reporter_identity_view)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from netral.accounts.models import User
from netral.audit.services import audit_record
from netral.core.errors import ApplicationError
from netral.registry.models import Official

REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 500


@transaction.atomic
def official_nik_reveal(*, official: Official, viewer: User, reason: str) -> str:
    """The full NIK, after recording who asked and why. The caller checks the viewer's right
    (access.access_official_nik)."""
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ApplicationError(
            _("Alasan: tulis alasan membuka NIK (sedikitnya %(n)d karakter).")
            % {"n": REASON_MIN_LENGTH}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ApplicationError(
            _("Alasan: paling banyak %(n)d karakter.") % {"n": REASON_MAX_LENGTH}
        )
    if not official.nik:
        raise ApplicationError(_("NIK pejabat ini tidak tercatat."))
    audit_record(
        obj=official,
        action="official.nik_revealed",
        actor=viewer,
        after={"reason": reason},
        region_code=official.region_id,
        note=reason,
    )
    return str(official.nik)
