"""What the citizen's status page says (issue 13 point 18): plain words, never "Draf", and
once a case is closed its outcome (proven or not, which follow-up) without naming anyone.

Reads only; the status view calls these for the one case the reporter signed in to.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from netral.cases.models import Case, PersonFinding, Recipient, Status, ViolationType
from netral.cases.models.choices import CLOSED_STATUSES
from netral.cases.workflow import is_direct_forwarding


def public_status_label(status: str) -> str:
    """The status in words for the reporter: a public draft is "sent, awaiting an officer"."""
    if status == Status.DRAFT_PUBLIK:
        return _("Terkirim, menunggu diperiksa pengawas")
    try:
        return str(Status(status).label)
    except ValueError:
        return ""


def public_outcome(case: Case) -> list[str]:
    """Sentences for a closed case; [] while it is open. No names of reported persons,
    witnesses or officers: counts, kinds of violation, institutions and follow-up only.
    A report that kajian awal forwarded without registration (T25) says so once forwarded."""
    if is_direct_forwarding(case) and case.status != Status.KAJIAN_AWAL:
        return _direct_forwarding_outcome(case)
    if case.status not in CLOSED_STATUSES:
        return []
    if case.status == Status.DICABUT:
        return [_("Anda mencabut laporan ini; penanganannya berakhir.")]
    if case.status == Status.TIDAK_DIREGISTRASI:
        return [
            _(
                "Laporan tidak diregistrasi karena syarat formal atau materiil tidak "
                "terpenuhi, sehingga dugaan pelanggaran tidak diperiksa lebih lanjut."
            )
        ]
    if case.status == Status.DILIMPAHKAN:
        return [_("Laporan dilimpahkan kepada unit pengawas yang berwenang dan ditangani di sana.")]
    persons = list(case.reported_persons.all())
    proven = [p for p in persons if p.finding == PersonFinding.TERBUKTI]
    if not proven:
        if case.status == Status.DIHENTIKAN and not any(
            p.finding == PersonFinding.TIDAK_TERBUKTI for p in persons
        ):
            return [_("Penanganan dihentikan sebelum ada putusan tentang pelanggaran.")]
        return [_("Hasil: tidak terbukti ada pelanggaran netralitas.")]
    lines = [
        ngettext(
            "Hasil: terbukti ada pelanggaran netralitas (%(n)d dari %(total)d terlapor).",
            "Hasil: terbukti ada pelanggaran netralitas (%(n)d dari %(total)d terlapor).",
            len(proven),
        )
        % {"n": len(proven), "total": len(persons)}
    ]
    kinds = sorted({k for p in proven for k in (p.violation_types or [])})
    if kinds:
        labels = ", ".join(_label(ViolationType, k).lower() for k in kinds)
        lines.append(_("Jenis pelanggaran: %(kinds)s.") % {"kinds": labels})
    recommendations = list(case.recommendations.all())
    recipients = sorted({_label(Recipient, r.recipient) for r in recommendations})
    if recipients:
        lines.append(
            _("Diteruskan sebagai rekomendasi kepada %(to)s untuk ditindaklanjuti.")
            % {"to": ", ".join(recipients)}
        )
    if any(r.sanctions.exists() for r in recommendations):
        lines.append(_("Instansi yang berwenang telah menjatuhkan sanksi."))
    elif recommendations:
        lines.append(_("Pengawas memantau tindak lanjutnya oleh instansi tersebut."))
    return lines


def _direct_forwarding_outcome(case: Case) -> list[str]:
    """Plain words for a report forwarded directly after kajian awal (DOMAIN §5.5 note on
    PERUU_LAIN; issue 12 point 15): not registered, not examined by the supervisor."""
    recommendations = list(case.recommendations.all())
    recipients = sorted({_label(Recipient, r.recipient) for r in recommendations})
    lines = [
        _(
            "Hasil kajian awal: laporan Anda memuat dugaan pelanggaran peraturan "
            "perundang-undangan lain yang menjadi kewenangan instansi lain. Laporan tidak "
            "diregistrasi dan diteruskan kepada %(to)s untuk ditindaklanjuti."
        )
        % {"to": ", ".join(recipients) or _("instansi")}
    ]
    if any(r.sanctions.exists() for r in recommendations):
        lines.append(_("Instansi yang berwenang telah menjatuhkan sanksi."))
    elif case.status not in CLOSED_STATUSES:
        lines.append(_("Pengawas memantau tindak lanjutnya oleh instansi tersebut."))
    else:
        lines.append(_("Pemantauan tindak lanjut oleh pengawas telah selesai."))
    return lines


def _label(enum: type[Recipient] | type[ViolationType], value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value
