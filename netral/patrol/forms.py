"""Forms of patroli siber (labels in Indonesian, translated in locale/en)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from netral.patrol.models import ActKind, TakedownRecipient, TermKind, Triage


def _unit_choices(units: list[Any]) -> list[tuple[str, str]]:
    return [(u.code if u else "", u.short_name if u else str(_("Nasional"))) for u in units]


def _event_choices(events: Any) -> list[tuple[str, str]]:
    return [("", str(_("(tidak dipilih)")))] + [(str(e.pk), e.name) for e in events]


class CaptureForm(forms.Form):
    url = forms.URLField(
        label=_("Alamat (URL) publik yang akan diambil"), max_length=2000, assume_scheme="https"
    )
    unit = forms.ChoiceField(label=_("Satuan patroli"), required=False)
    election_event = forms.ChoiceField(label=_("Pemilihan"), required=False)
    act_kind = forms.ChoiceField(
        label=_("Jenis perbuatan (jika sudah diketahui)"),
        choices=[("", _("(belum diketahui)")), *ActKind.choices],
        required=False,
    )

    def __init__(self, *args: Any, units: list[Any], events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = _unit_choices(units)
        cast(forms.ChoiceField, self.fields["election_event"]).choices = _event_choices(events)


class UploadForm(CaptureForm):
    url = forms.URLField(
        label=_("Alamat (URL) tempat konten dilihat"),
        max_length=2000,
        required=False,
        assume_scheme="https",
    )
    seen_at = forms.DateTimeField(
        label=_("Waktu dilihat"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    seen_where = forms.CharField(
        label=_("Dilihat di mana (perangkat, aplikasi, akun petugas)"), max_length=300
    )
    statement = forms.CharField(
        label=_("Pernyataan petugas"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa yang Anda lihat, kapan dan di mana; mengapa halaman tidak dapat diambil."),
    )


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[c for c in Triage.choices if c[0] != Triage.BELUM],
        widget=forms.RadioSelect,
    )
    act_kind = forms.ChoiceField(
        label=_("Jenis perbuatan"), choices=[("", "-"), *ActKind.choices], required=False
    )
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)


class ProposalForm(forms.Form):
    official_id = forms.IntegerField(label=_("ID pejabat di registri"), min_value=1)
    platform = forms.CharField(label=_("Platform"), max_length=40)
    handle = forms.CharField(label=_("Akun atau URL"), max_length=300)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


class TermForm(forms.Form):
    election_event = forms.ChoiceField(label=_("Pemilihan"))
    unit = forms.ChoiceField(label=_("Satuan"), required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=TermKind.choices)
    term = forms.CharField(label=_("Nama atau kata"), max_length=120)

    def __init__(self, *args: Any, units: list[Any], events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = _unit_choices(units)
        cast(forms.ChoiceField, self.fields["election_event"]).choices = _event_choices(events)[1:]


class LetterForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Tujuan"), choices=TakedownRecipient.choices)
    recipient_name = forms.CharField(
        label=_("Nama penerima"),
        max_length=200,
        initial="Direktur Jenderal Pengawasan Ruang Digital, Kementerian Komunikasi dan Digital",
    )
    unit_name = forms.CharField(label=_("Satuan pengirim"), max_length=200)
    signer_name = forms.CharField(label=_("Penanda tangan"), max_length=200, required=False)
    unit = forms.ChoiceField(label=_("Satuan patroli"), required=False)

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = _unit_choices(units)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Dari"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
