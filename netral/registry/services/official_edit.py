"""One official added or edited through a form (issue 13 §14), with the same rules as the
import: the row goes through import_format.validate_row, so a field the import refuses is
refused here with the same message; identifiers stay unique; a change of position, agency
or region keeps a PositionHistory row; every change is audited in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.core.encryption import blind_index
from netral.core.errors import ApplicationError
from netral.registry.models import Agency, Official, PositionHistory, Region, SocialAccount
from netral.registry.services.import_format import (
    COLUMNS,
    ColumnPositions,
    ErrorCollector,
    RowContext,
    RowError,
    validate_row,
)
from netral.registry.services.import_sql import agency_kind
from netral.registry.text import fold

if TYPE_CHECKING:
    from netral.accounts.models import User


class _MemoryErrors(ErrorCollector):
    """The import's error collector, without its error file (one row, a handful of errors)."""

    def __init__(self) -> None:
        super().__init__(None)

    def add(self, row: int, column: str, message: str) -> None:
        self.count += 1
        self.kept.append(RowError(row, column, message))


@dataclass
class OfficialInvalid(Exception):  # noqa: N818  (a validation outcome, carried to the form)
    """Errors by column name (the import's column names, e.g. "kode_wilayah")."""

    errors: dict[str, list[str]]


_IDENTIFIERS = (("nip", "nip"), ("ni_pppk", "nip"), ("nik", "nik"), ("nrp", "nrp"))


def _state(official: Official) -> dict[str, Any]:
    return {
        "subject_type": official.subject_type,
        "name": official.name,
        "nip": official.nip,
        "ni_pppk": official.ni_pppk,
        "nik": official.nik_masked or None,  # personal data: masked in the trail
        "nrp": official.nrp,
        "position": official.position,
        "position_category": official.position_category,
        "agency": official.agency.name if official.agency else "",
        "region": official.region_id,
        "email": official.email,
        "phone": official.phone,
        "is_active": official.is_active,
    }


@transaction.atomic
def official_save(
    *,
    actor: User | None,
    values: dict[str, str],
    allowed: set[str] | None,
    official: Official | None = None,
    is_active: bool = True,
) -> Official:
    """Create (official=None) or update one official from the import's columns.

    `values` maps import column names to cell text; codes or labels are accepted as in the
    import. `allowed` is the actor's MANAGE_OFFICIALS jurisdiction (None = national)."""
    row = [str(values.get(column, "") or "") for column in COLUMNS]
    region_code = row[COLUMNS.index("kode_wilayah")].strip()
    ctx = RowContext(
        region_codes=set(Region.objects.filter(code=region_code).values_list("code", flat=True)),
        allowed=allowed,
    )
    errors = _MemoryErrors()
    social: list[tuple[int, str, str]] = []
    positions = ColumnPositions(**{c: i for i, c in enumerate(COLUMNS)})
    staged = validate_row(2, row, positions, ctx, errors, social)
    found: dict[str, list[str]] = {}
    for error in errors.kept:
        found.setdefault(error.field, []).append(error.message)
    if staged is None:
        raise OfficialInvalid(found)
    (_row, kind, name, name_folded, nip, ni_pppk, nik, nrp, position, category, _agency_key,
     region, email, phone) = staged  # fmt: skip
    for attr, column in _IDENTIFIERS:
        value = {"nip": nip, "ni_pppk": ni_pppk, "nik": nik, "nrp": nrp}[attr]
        if value is None:
            continue
        if attr == "nik":  # encrypted: found by its blind index (issue 14 pt 15)
            attr, value = "nik_hash", blind_index(value)
        clash = Official.objects.filter(**{attr: value})
        if official is not None:
            clash = clash.exclude(pk=official.pk)
        if clash.exists():
            found.setdefault(column, []).append(_("Sudah dipakai oleh pejabat lain di registri."))
    if found:
        raise OfficialInvalid(found)
    agency_name = " ".join(row[COLUMNS.index("instansi")].split())
    agency = None
    if agency_name:
        agency = Agency.objects.filter(name_folded=fold(agency_name)).first()
        if agency is None:
            agency = Agency.objects.create(
                name=agency_name,
                name_folded=fold(agency_name),
                kind=agency_kind(kind),
                region_id=region,
            )
    fields: dict[str, Any] = {
        "subject_type": kind,
        "name": name,
        "name_folded": name_folded,
        "nip": nip,
        "ni_pppk": ni_pppk,
        "nik": nik,
        "nrp": nrp,
        "position": position,
        "position_category": category,
        "agency": agency,
        "region_id": region,
        "email": email,
        "phone": phone,
        "is_active": is_active,
    }
    if official is None:
        before = None
        official = Official(**fields)
        action = "official.created"
    else:
        official = (
            Official.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=official.pk)
        )
        before = _state(official)
        if (
            official.position != position
            or official.position_category != category
            or official.agency_id != (agency.pk if agency else None)
            or official.region_id != region
        ):
            PositionHistory.objects.create(
                official=official,
                position=official.position,
                position_category=official.position_category,
                agency_name=official.agency.name if official.agency else "",
                region_id=official.region_id,
                valid_until=timezone.now(),
            )
        for key, value in fields.items():
            setattr(official, key, value)
        action = "official.updated"
    try:
        with transaction.atomic():
            official.save()
    except IntegrityError as exc:  # an identifier taken by a concurrent save
        raise ApplicationError(_("NIP, NIK atau NRP sudah dipakai oleh pejabat lain.")) from exc
    wanted = {(p, h) for _r, p, h in social}
    existing = {(a.platform, a.handle): a.pk for a in official.social_accounts.all()}
    SocialAccount.objects.filter(
        pk__in=[pk for key, pk in existing.items() if key not in wanted]
    ).delete()
    SocialAccount.objects.bulk_create(
        [SocialAccount(official=official, platform=p, handle=h) for p, h in wanted - set(existing)]
    )
    audit_record(
        obj=official,
        action=action,
        actor=actor,
        before=before,
        after=_state(official),
        region_code=official.region_id,
    )
    return official


def official_values(official: Official) -> dict[str, str]:
    """The form's initial values, in the import's columns."""
    return {
        "jenis": official.subject_type,
        "nama": official.name,
        "nip": official.nip or official.ni_pppk or "",
        "nik": official.nik or "",
        "nrp": official.nrp or "",
        "jabatan": official.position,
        "kategori_jabatan": official.position_category,
        "instansi": official.agency.name if official.agency else "",
        "kode_wilayah": official.region_id,
        "email": official.email,
        "telepon": official.phone,
        "media_sosial": "; ".join(
            f"{a.platform}:{a.handle}" for a in official.social_accounts.all()
        ),
    }
