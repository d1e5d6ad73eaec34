"""Officer pages for events, texts, signatures and coverage; public signing and
verification pages. Each view: parse, one access call, one service or selector, render."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netral.accounts import access
from netral.accounts.selectors import demo_accounts_exist
from netral.core.client import client_address
from netral.core.errors import ApplicationError
from netral.core.http import AuthenticatedHttpRequest
from netral.core.spreadsheets import formula_safe, xlsx_workbook, xlsx_write_rows
from netral.declarations import certificates, forms, qr, ratelimit, selectors, services
from netral.declarations import jobs as certificate_jobs
from netral.declarations.models import DocumentKind, Event, PledgeKind, SignatureMethod
from netral.jobs import selectors as jobs_selectors
from netral.jobs.models import JobStatus

SIGNATURES_PER_PAGE = 50
CHECKLIST_PER_PAGE = 100


def _verify_url(request: HttpRequest) -> certificates.VerifyUrl:
    def build(code: str) -> str:
        return request.build_absolute_uri(reverse("declarations:verify", args=[code]))

    return build


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _pdf(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- events --------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, access.Perm.VIEW)
    events = (
        access.events_visible_to(request.user)
        .select_related("region", "election_event")
        .order_by("-date", "-id")[:200]
    )
    return render(
        request,
        "declarations/event_list.html",
        {
            "events": events,
            "can_write": access.has_perm(request.user, access.Perm.MANAGE_DECLARATIONS),
        },
    )


@login_required
def event_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, access.Perm.MANAGE_DECLARATIONS)
    templates = access.pledge_templates_visible_to(request.user).order_by("title", "version")
    form = forms.EventForm(request.POST or None, templates=templates)
    speakers = forms.SpeakerFormSet(request.POST or None, prefix="speakers")
    if request.method == "POST" and form.is_valid() and speakers.is_valid():
        data = form.cleaned_data
        try:
            region = access.access_declarations_region(request.user, data["region"])
        except Http404:
            form.add_error("region", _("Wilayah tidak dikenal atau di luar yurisdiksi Anda."))
        else:
            try:
                event = services.event_create(
                    actor=request.user,
                    title=data["title"],
                    kinds=data["kinds"],
                    date=data["date"],
                    region=region,
                    organiser=data["organiser"],
                    venue=data["venue"],
                    election_event=data["election_event"],
                    materials=data["materials"],
                    basis=data["basis"],
                    witnesses=data["witnesses"],
                    speakers=forms.speakers_of(speakers),
                    pledges=list(data["pledges"]),
                    facts=forms.facts_of(data),
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Kegiatan dicatat."))
                return redirect("declarations:event_detail", pk=event.pk)
    return render(request, "declarations/event_form.html", {"form": form, "speakers": speakers})


def _event_tz(event: Event) -> timezone.override:
    """Times on an event's pages are read and written in its region's local time."""
    return timezone.override(services.region_timezone(event.region_id))


@login_required
@require_GET
def event_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The event page: facts, texts and a page of its signatures (issue 13 §7: paginated,
    so it stays fast with thousands of signatures)."""
    event = access.access_event(request.user, pk)
    can_write = access.covers(request.user, event.region_id, access.Perm.MANAGE_DECLARATIONS)
    pledges = selectors.event_pledges(event=event)
    paginator = Paginator(selectors.event_signatures(event=event), SIGNATURES_PER_PAGE)
    signatures = paginator.get_page(request.GET.get("page"))
    documents = list(event.documents.all())
    with _event_tz(event):
        context = {
            "event": event,
            "can_write": can_write,
            "pledges": pledges,
            "summary": selectors.event_summary(event=event),
            "per_text": selectors.event_text_counts(event=event, pledges=pledges),
            "signatures": signatures,
            "documents": documents,
            "speakers": event.speakers.all(),
            "spoken": selectors.event_spoken_pledges(event=event),
            "joints": selectors.event_joint_declarations(event=event),
            "signing_default": services.signing_time_default(event),
            # URL prefixes for the signature rows (reverse() per row costs on 50 rows)
            "revoke_base": reverse("declarations:signature_revoke", args=[0]).removesuffix(
                "0/cabut/"
            ),
            "document_base": reverse("declarations:event_document", args=[0]).removesuffix("0/"),
            "verify_base": reverse("declarations:verify", args=[uuid.UUID(int=0)]).removesuffix(
                f"{uuid.UUID(int=0)}/"
            ),
            "qr_url": request.build_absolute_uri(
                reverse("declarations:sign_qr", args=[event.code])
            ),
        }
        return render(request, "declarations/event_detail.html", context)


# The write forms of the event page, rendered on demand (issue 13 §7): opening a <details>
# fetches its form (htmx), so the page itself stays cheap; without JavaScript the link in
# the <details> opens the same form as a page. name -> (url name of the POST, multipart).
EVENT_FORMS: dict[str, tuple[str, bool]] = {
    "facts": ("declarations:event_facts", False),
    "speaker": ("declarations:event_speaker_add", False),
    "pledges": ("declarations:event_pledges", False),
    "spoken": ("declarations:event_spoken", True),
    "institutional": ("declarations:event_institutional", False),
    "attendance": ("declarations:event_attendance", False),
    "document": ("declarations:event_document_upload", True),
}


def _event_form(request: AuthenticatedHttpRequest, event: Event, name: str) -> object:
    pledges = selectors.event_pledges(event=event)
    only_text = {"template": pledges[0]} if len(pledges) == 1 else {}
    default = services.signing_time_default(event)
    if name == "facts":
        return forms.EventFactsForm(
            initial={f: getattr(event, f) for f in forms.EventFactsForm.base_fields}
        )
    if name == "speaker":
        return forms.SpeakerForm()
    if name == "pledges":
        return forms.EventPledgesForm(
            templates=access.pledge_templates_visible_to(request.user).order_by("title", "version"),
            initial={"pledges": pledges},
        )
    if name == "spoken":
        return forms.SpokenPledgeForm(
            templates=event.pledges.all(),
            documents=event.documents.exclude(kind=DocumentKind.SIGNED_SHEET),
            initial={"spoken_at": default, **only_text},
        )
    if name == "institutional":
        return forms.InstitutionalForm(
            templates=event.pledges.all(), initial={"signed_at": default, **only_text}
        )
    if name == "attendance":
        return forms.AttendanceForm(initial=event.attendance)
    return forms.DocumentForm()


@login_required
@require_GET
def event_form(request: AuthenticatedHttpRequest, pk: int, name: str) -> HttpResponse:
    """One write form of the event page: a fragment for htmx, else a page of its own."""
    if name not in EVENT_FORMS:
        raise Http404
    event = access.access_event(request.user, pk, write=True)
    action, multipart = EVENT_FORMS[name]
    with _event_tz(event):
        partial = request.headers.get("HX-Request") == "true"
        return render(
            request,
            "declarations/_event_form.html" if partial else "declarations/event_form_page.html",
            {
                "event": event,
                "form": _event_form(request, event, name),
                "action": reverse(action, args=[event.pk]),
                "multipart": multipart,
                "name": name,
            },
        )


def _form_errors(request: HttpRequest, form: Form) -> None:
    """Each field's errors as a message naming the field (forms posted from the event page)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(e) for e in errors)
        messages.error(request, f"{label}: {text}" if label else text)


def _back(event_id: int) -> HttpResponse:
    return redirect("declarations:event_detail", pk=event_id)


@login_required
@require_POST
def event_speaker_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk, write=True)
    form = forms.SpeakerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Narasumber: nama dan instansi wajib diisi."))
        return _back(event.pk)
    services.event_speaker_add(event=event, actor=request.user, speaker=form.speaker())
    return _back(event.pk)


@login_required
@require_POST
def event_speaker_remove(
    request: AuthenticatedHttpRequest, pk: int, speaker_id: int
) -> HttpResponse:
    event = access.access_event(request.user, pk, write=True)
    try:
        services.event_speaker_remove(event=event, actor=request.user, speaker_id=speaker_id)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(event.pk)


@login_required
@require_POST
def event_facts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk, write=True)
    form = forms.EventFactsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(event.pk)
    d = form.cleaned_data
    try:
        services.event_facts_update(
            event=event,
            actor=request.user,
            facts=forms.facts_of(d),
            venue=d["venue"],
            materials=d["materials"],
            basis=d["basis"],
            witnesses=d["witnesses"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Data kegiatan disimpan."))
    return _back(event.pk)


@login_required
@require_POST
def event_pledges(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk, write=True)
    form = forms.EventPledgesForm(
        request.POST, templates=access.pledge_templates_visible_to(request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Naskah: pilihan tidak dikenal."))
        return _back(event.pk)
    services.event_pledges_set(
        event=event, actor=request.user, pledges=list(form.cleaned_data["pledges"])
    )
    messages.success(request, _("Naskah kegiatan disimpan."))
    return _back(event.pk)


@login_required
@require_POST
def event_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk, write=True)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kehadiran: isi jumlah dengan bilangan bulat tidak negatif."))
        return _back(event.pk)
    services.event_attendance_set(event=event, actor=request.user, counts=form.counts())
    messages.success(request, _("Kehadiran disimpan."))
    return _back(event.pk)


@login_required
@require_POST
def event_document_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk, write=True)
    form = forms.DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Dokumentasi: pilih jenis dan berkas."))
        return _back(event.pk)
    upload = form.cleaned_data["file"]
    try:
        services.event_document_upload(
            event=event,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            data=upload.read(),
            caption=form.cleaned_data["caption"],
            link_unevidenced=form.cleaned_data["link_unevidenced"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Berkas diunggah."))
    return _back(event.pk)


@login_required
@require_GET
def event_document(request: AuthenticatedHttpRequest, doc_id: int) -> FileResponse:
    document = access.access_event_document(request.user, doc_id)
    return FileResponse(document.file.open("rb"), content_type=document.content_type)


@login_required
@require_POST
def event_institutional(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk, write=True)
    form = forms.InstitutionalForm(request.POST, templates=event.pledges.all())
    with _event_tz(event):
        valid = form.is_valid()
    if not valid:
        messages.error(
            request, _("Penandatangan kelembagaan: lengkapi naskah, nama, jabatan dan instansi.")
        )
        for field, errors in form.errors.items():
            if field == "signed_at":
                messages.error(
                    request, f"{form.fields[field].label}: {' '.join(str(e) for e in errors)}"
                )
        return _back(event.pk)
    d = form.cleaned_data
    try:
        services.signature_institutional(
            event=event,
            template=d["template"],
            actor=request.user,
            name=d["name"],
            title=d["title"],
            institution=d["institution"],
            signed_at=d["signed_at"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tanda tangan kelembagaan dicatat."))
    return _back(event.pk)


@login_required
@require_POST
def event_spoken(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Issue 13 §4: record an ikrar lisan with its evidence."""
    event = access.access_event(request.user, pk, write=True)
    form = forms.SpokenPledgeForm(
        request.POST,
        request.FILES,
        templates=event.pledges.all(),
        documents=event.documents.exclude(kind=DocumentKind.SIGNED_SHEET),
    )
    with _event_tz(event):
        valid = form.is_valid()
    if not valid:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return _back(event.pk)
    d = form.cleaned_data
    try:
        with transaction.atomic():
            evidence = list(d["evidence"])
            if d["file"]:
                evidence.append(
                    services.event_document_upload(
                        event=event,
                        actor=request.user,
                        kind=d["file_kind"] or DocumentKind.PHOTO,
                        data=d["file"].read(),
                        caption=_("Bukti ikrar lisan"),
                    )
                )
            services.spoken_pledge_record(
                event=event,
                template=d["template"],
                actor=request.user,
                evidence=evidence,
                spoken_at=d["spoken_at"],
                led_by=d["led_by"],
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Ikrar lisan dicatat."))
    return _back(event.pk)


@login_required
@require_POST
def event_joint_issue(request: AuthenticatedHttpRequest, pk: int, template_id: int) -> HttpResponse:
    """Issue 13 §5: seal the joint declaration of one text at this event."""
    event = access.access_event(request.user, pk, write=True)
    template = event.pledges.filter(pk=template_id).first()
    if template is None:
        raise Http404
    try:
        services.joint_declaration_issue(event=event, template=template, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Deklarasi bersama diterbitkan dan disegel."))
    return _back(event.pk)


@login_required
@require_POST
def event_invitations_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk, write=True)

    def link_url(token: str) -> str:
        return request.build_absolute_uri(reverse("declarations:sign", args=[token]))

    sent = services.invitations_send(event=event, actor=request.user, link_url=link_url)
    messages.success(request, _("%(n)d tautan pribadi dikirim lewat email.") % {"n": sent})
    return _back(event.pk)


@login_required
@require_GET
def event_qr(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk)
    url = request.build_absolute_uri(reverse("declarations:sign_qr", args=[event.code]))
    return HttpResponse(qr.qr_svg(url, scale=8), content_type="image/svg+xml")


# --- the checklist (signing way a) ---------------------------------------------------


@login_required
def event_checklist(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk)
    can_write = access.covers(request.user, event.region_id, access.Perm.MANAGE_DECLARATIONS)
    rule_form = forms.ParticipantRuleForm(
        request.POST or None, initial=event.participant_rule or {"region": event.region_id}
    )
    if request.method == "POST":
        event = access.access_event(request.user, pk, write=True)
        if rule_form.is_valid():
            try:
                region = access.access_declarations_region(
                    request.user, rule_form.cleaned_data["region"]
                )
                added = services.event_participant_rule_set(
                    event=event,
                    actor=request.user,
                    region=region,
                    subject_types=rule_form.cleaned_data["subject_types"],
                )
            except Http404:
                rule_form.add_error(
                    "region", _("Wilayah tidak dikenal atau di luar yurisdiksi Anda.")
                )
            except ApplicationError as exc:
                rule_form.add_error(None, exc.message)
            else:
                messages.success(request, _("%(n)d peserta ditambahkan ke daftar.") % {"n": added})
                return redirect("declarations:event_checklist", pk=event.pk)
    query = request.GET.get("q", "")[:100]
    region_code = request.GET.get("wilayah", "")[:13]
    paginator = Paginator(
        selectors.event_participants(event=event, query=query, region=region_code),
        CHECKLIST_PER_PAGE,
    )
    page = paginator.get_page(request.GET.get("page"))
    with _event_tz(event):
        return render(
            request,
            "declarations/event_checklist.html",
            {
                "event": event,
                "rows": selectors.checklist_rows(event=event, participants=list(page)),
                "page": page,
                "pledges": selectors.event_pledges(event=event),
                "rule_form": rule_form,
                "batch_form": forms.BatchSignForm(
                    templates=event.pledges.all(),
                    sheets=event.documents.filter(kind=DocumentKind.SIGNED_SHEET),
                    initial={
                        "templates": list(event.pledges.all()),
                        "signed_at": services.signing_time_default(event),
                    },
                )
                if can_write
                else None,
                "regions": selectors.event_participant_regions(event=event),
                "can_write": can_write,
                "query": query,
                "region_code": region_code,
            },
        )


@login_required
@require_POST
def checklist_batch(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Issue 13 §3: "tick the selected" / "tick all (of the filter)", or mark them present,
    with one scanned sheet for the batch."""
    event = access.access_event(request.user, pk, write=True)
    action = request.POST.get("action", "")
    form = forms.BatchSignForm(
        request.POST,
        request.FILES,
        templates=event.pledges.all(),
        sheets=event.documents.filter(kind=DocumentKind.SIGNED_SHEET),
    )
    back = reverse("declarations:event_checklist", args=[event.pk])
    query = request.POST.get("q", "")[:100]
    region_code = request.POST.get("wilayah", "")[:13]
    if query or region_code:
        from urllib.parse import urlencode

        back += "?" + urlencode({"q": query, "wilayah": region_code})
    participants = selectors.event_participants(event=event, query=query, region=region_code)
    if action in ("sign_all", "present_all"):
        officials = [p.official for p in participants]
    else:
        ids = {int(v) for v in request.POST.getlist("officials") if v.isdigit()}
        officials = [p.official for p in participants.filter(official_id__in=ids)]
    if not officials:
        messages.error(request, _("Peserta: pilih sedikitnya satu peserta."))
        return redirect(back)
    if action in ("present_selected", "present_all"):
        n = services.participants_mark_present(event=event, officials=officials, actor=request.user)
        messages.success(request, _("%(n)d peserta ditandai hadir.") % {"n": n})
        return redirect(back)
    with _event_tz(event):
        valid = form.is_valid()
    if not valid:
        _form_errors(request, form)
        return redirect(back)
    d = form.cleaned_data
    try:
        with transaction.atomic():
            evidence = d["evidence"]
            if d["sheet"]:
                evidence = services.event_document_upload(
                    event=event,
                    actor=request.user,
                    kind=DocumentKind.SIGNED_SHEET,
                    data=d["sheet"].read(),
                    caption=d["sheet_caption"],
                )
            result = services.signatures_record_batch(
                event=event,
                templates=list(d["templates"]),
                officials=officials,
                actor=request.user,
                signed_at=d["signed_at"],
                evidence=evidence,
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(n)d tanda tangan dicatat; %(s)d sudah ada sebelumnya.")
            % {"n": result.created, "s": result.skipped},
        )
    return redirect(back)


@login_required
@require_POST
def checklist_sign(
    request: AuthenticatedHttpRequest, pk: int, official_id: int, template_id: int
) -> HttpResponse:
    """htmx: tick a checkbox = record that this participant signed this text on paper."""
    event = access.access_event(request.user, pk, write=True)
    participant = selectors.event_participant(event=event, official_id=official_id)
    template = event.pledges.filter(pk=template_id).first()
    if participant is None or template is None:
        raise Http404
    error = ""
    signature = None
    try:
        signature = services.signature_record(
            event=event, template=template, official=participant.official, actor=request.user
        )
    except ApplicationError as exc:
        error = exc.message
    return render(
        request,
        "declarations/_checklist_cell.html",
        {
            "event": event,
            "official": participant.official,
            "template": template,
            "signature": signature,
            "error": error,
            "can_write": True,
        },
        status=200 if signature else 400,
    )


# --- signatures ----------------------------------------------------------------------


@login_required
@require_POST
def signature_revoke(request: AuthenticatedHttpRequest, sig_id: int) -> HttpResponse:
    signature = access.access_signature(request.user, sig_id, write=True)
    form = forms.RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan pencabutan: wajib diisi."))
        return _back(signature.event_id)
    try:
        services.signature_revoke(
            signature=signature, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tanda tangan dicabut (tetap tersimpan)."))
    return _back(signature.event_id)


@login_required
@require_GET
def signature_certificate(request: AuthenticatedHttpRequest, sig_id: int) -> HttpResponse:
    signature = access.access_signature(request.user, sig_id)
    data = certificates.certificate_for(signature=signature, verify_url=_verify_url(request))
    return _pdf(data, certificates.certificate_filename(signature))


@login_required
@require_http_methods(["GET", "POST"])
def event_certificates_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _certificates_batch(request, pk, "pdf")


@login_required
@require_http_methods(["GET", "POST"])
def event_certificates_zip(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _certificates_batch(request, pk, "zip")


def _certificates_batch(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponseBase:
    """All certificates of an event, made by a background job (declarations/jobs.py).

    GET: the finished file for the event's current signatures, else the batch's page (its
    progress, polled by htmx; a button to start it). POST: start the batch."""
    event = access.access_event(request.user, pk)
    if request.method == "POST":
        certificate_jobs.certificates_batch_start(event=event, kind=kind, actor=request.user)
        return redirect(request.path)
    job = certificate_jobs.certificates_batch_current(event=event, kind=kind)
    if job is not None and job.status == JobStatus.DONE and not _is_htmx(request):
        name = str((job.result or {}).get("file", ""))
        if not name or not default_storage.exists(name):
            raise Http404
        return FileResponse(
            default_storage.open(name, "rb"),
            as_attachment=True,
            filename=f"sertifikat-kegiatan-{event.pk}.{kind}",
            content_type=certificate_jobs.KINDS[kind],
        )
    template = (
        "declarations/_certificates_batch.html"
        if _is_htmx(request)
        else "declarations/certificates_batch.html"
    )
    return render(
        request,
        template,
        {
            "event": event,
            "kind": kind,
            "job": job,
            "summary": selectors.event_summary(event=event),
            "worker_missing": job is not None
            and not job.finished
            and not jobs_selectors.worker_is_alive(),
        },
    )


# --- pledge texts --------------------------------------------------------------------


@login_required
@require_GET
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, access.Perm.VIEW)
    templates = access.pledge_templates_visible_to(request.user).select_related("region")
    return render(
        request,
        "declarations/template_list.html",
        {
            "templates": templates.order_by("-is_standard", "title", "-version"),
            "can_write": access.has_perm(request.user, access.Perm.MANAGE_DECLARATIONS),
        },
    )


@login_required
def template_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    template = access.access_pledge_template(request.user, pk)
    copy_form = forms.CopyForm(request.POST or None)
    if request.method == "POST" and copy_form.is_valid():
        try:
            region = access.access_declarations_region(
                request.user, copy_form.cleaned_data["region"]
            )
        except Http404:
            copy_form.add_error("region", _("Wilayah tidak dikenal atau di luar yurisdiksi Anda."))
        else:
            copy = services.pledge_template_copy(
                template=template, region=region, actor=request.user
            )
            messages.success(request, _("Naskah disalin; silakan ubah salinannya."))
            return redirect("declarations:template_edit", pk=copy.pk)
    return render(
        request,
        "declarations/template_detail.html",
        {
            "template": template,
            "copy_form": copy_form,
            "can_edit": template.region_id is not None
            and access.covers(request.user, template.region_id, access.Perm.MANAGE_DECLARATIONS),
            "can_copy": access.has_perm(request.user, access.Perm.MANAGE_DECLARATIONS),
        },
    )


def _template_values(form: forms.TemplateForm) -> dict[str, object]:
    d = form.cleaned_data
    return {
        "kind": d["kind"],
        "title": d["title"],
        "points": form.points_list(),
        "preamble": d["preamble"],
        "closing": d["closing"],
        "regime": d["regime"],
        "election_event": d["election_event"],
        "subject_types": d["subject_types"],
    }


@login_required
def template_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Issue 13 §2: a text written from scratch (not only copied)."""
    access.require_perm(request.user, access.Perm.MANAGE_DECLARATIONS)
    codes = access.jurisdiction_codes(request.user, access.Perm.MANAGE_DECLARATIONS)
    initial: dict[str, str] = {"kind": str(PledgeKind.IKRAR_NETRALITAS)}
    if codes:
        initial["region"] = sorted(codes)[0]
    form = forms.TemplateCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            region = access.access_declarations_region(request.user, form.cleaned_data["region"])
        except Http404:
            form.add_error("region", _("Wilayah tidak dikenal atau di luar yurisdiksi Anda."))
        else:
            try:
                template = services.pledge_template_create(
                    actor=request.user,
                    region=region,
                    **_template_values(form),  # type: ignore[arg-type]
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Naskah dibuat."))
                return redirect("declarations:template_detail", pk=template.pk)
    return render(request, "declarations/template_form.html", {"form": form, "template": None})


@login_required
def template_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    template = access.access_pledge_template(request.user, pk, write=True)
    initial = {
        "kind": template.kind,
        "title": template.title,
        "preamble": template.preamble,
        "points": "\n".join(template.points),
        "closing": template.closing,
        "regime": template.regime,
        "election_event": template.election_event,
        "subject_types": template.subject_types,
    }
    form = forms.TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.pledge_template_update(
                template=template,
                actor=request.user,
                **_template_values(form),  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if saved.pk != template.pk:
                messages.info(
                    request,
                    _("Versi yang sudah ditandatangani tidak diubah; versi %(v)d dibuat.")
                    % {"v": saved.version},
                )
            return redirect("declarations:template_detail", pk=saved.pk)
    return render(request, "declarations/template_form.html", {"form": form, "template": template})


# --- coverage ------------------------------------------------------------------------


def _coverage_from_request(
    request: AuthenticatedHttpRequest,
) -> tuple[forms.CoverageForm, selectors.Coverage | None]:
    codes = access.jurisdiction_codes(request.user)
    default = sorted(codes)[0] if codes else "64.08"
    form = forms.CoverageForm(request.GET or {"region": default})
    if not form.is_valid():
        return form, None
    region = access.access_declarations_region(
        request.user, form.cleaned_data["region"], write=False
    )
    return form, selectors.coverage(
        region=region, election_event=form.cleaned_data["election_event"]
    )


@login_required
@require_GET
def coverage_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, access.Perm.VIEW)
    form, cov = _coverage_from_request(request)
    return render(
        request,
        "declarations/coverage.html",
        {"form": form, "cov": cov, "query": request.GET.urlencode()},
    )


@login_required
@require_GET
def coverage_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    access.require_perm(request.user, access.Perm.VIEW)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, cov = _coverage_from_request(request)
    if cov is None:
        raise Http404
    rows = selectors.coverage_rows(cov=cov)
    name = f"cakupan-deklarasi-{cov['region']['code']}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([formula_safe(c) for c in row] for row in rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    out = io.BytesIO()
    book = xlsx_workbook(out)
    xlsx_write_rows(book.add_worksheet("cakupan"), rows)
    book.close()
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- public: verification and online signing (way b) ---------------------------------


@require_GET
def verify(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Re-checks the seal; shows VALID, REVOKED or INVALID, never NIP/NIK."""
    result = selectors.signature_verify(code=code)
    status = 200 if result.signature is not None else 404
    # The page QR codes point at, kept cheap (bench/declarations.py): standalone (no
    # session, no CSRF form, no context processors), and the rendered HTML is cached under
    # a key holding everything it shows. The seal itself is re-checked on every request.
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    demo_mode = cache.get_or_set("netral-demo-mode", demo_accounts_exist, 60)
    sig = result.signature
    shown = (
        ""
        if sig is None or result.status == "INVALID"
        else (f"{sig.seal_digest}:{sig.seal_key_id}:{sig.revoked_at}")
    )
    key = (
        "netral-verify:"
        + hashlib.sha256(
            f"{code}:{result.status}:{language}:{demo_mode}:{shown}".encode()
        ).hexdigest()
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "declarations/verify.html",
            {
                "result": result,
                "code": code,
                "demo_mode": demo_mode,
                "LANGUAGE_CODE": language,
            },
        )
        cache.set(key, html, 300)
    return HttpResponse(html, status=status)


@require_GET
def verify_certificate(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Public: the certificate of an intact signature (holds no personal identifiers)."""
    result = selectors.signature_verify(code=code)
    if result.signature is None or result.status == "INVALID":
        raise Http404
    data = certificates.certificate_for(signature=result.signature, verify_url=_verify_url(request))
    return _pdf(data, certificates.certificate_filename(result.signature))


@require_GET
def verify_joint(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Public: a joint declaration, its seal re-checked, and whether it is the current one."""
    result = selectors.joint_verify(code=code)
    if result.joint is None:
        raise Http404
    return render(request, "declarations/verify_joint.html", {"result": result, "code": code})


@require_GET
def verify_joint_pdf(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    result = selectors.joint_verify(code=code)
    if result.joint is None or result.status == "INVALID":
        raise Http404
    url = request.build_absolute_uri(reverse("declarations:verify_joint", args=[code]))
    data = certificates.joint_declaration_pdf(joint=result.joint, verify_url=url)
    return _pdf(data, f"deklarasi-bersama-{str(code)[:8]}.pdf")


def _client_ip(request: HttpRequest) -> str:
    return client_address(request)


@never_cache
def sign_qr(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    event = selectors.event_by_code(code=code)
    if event is None:
        raise Http404
    form = forms.QrIdentifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(
            f"qr:{event.pk}:{_client_ip(request)}", limit=10, window_seconds=600
        ):
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi dalam 10 menit."))
        else:
            try:
                link = services.invitation_from_qr(
                    event=event, identifier=form.cleaned_data["identifier"]
                )
            except ApplicationError as exc:
                form.add_error("identifier", exc.message)
            else:
                return redirect("declarations:sign", token=link.token)
    return render(request, "declarations/sign_qr.html", {"event": event, "form": form})


@never_cache
def sign(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_get(token=token)
    except ApplicationError as exc:
        return render(request, "declarations/sign_error.html", {"message": exc.message}, status=404)
    event = invitation.event
    pending = selectors.invitation_pending_templates(invitation=invitation)
    form = forms.SignForm(None, templates=pending, initial={"templates": list(pending)})
    sent = None
    signatures = None
    if request.method == "POST" and request.POST.get("action") == "send":
        try:
            sent = services.otp_send(invitation=invitation)
        except ApplicationError as exc:
            messages.error(request, exc.message)
    elif request.method == "POST":
        form = forms.SignForm(request.POST, templates=pending)
        if form.is_valid():
            try:
                signatures = services.signature_sign_online(
                    invitation=invitation,
                    code=form.cleaned_data["code"],
                    templates=list(form.cleaned_data["templates"]),
                )
            except ApplicationError as exc:
                form.add_error("code", exc.message)
    return render(
        request,
        "declarations/sign.html",
        {
            "invitation": invitation,
            "event": event,
            "official": invitation.official,
            "pending": pending,
            "form": form,
            "sent": sent,
            "signatures": signatures,
            "signed": selectors.invitation_signed(invitation=invitation),
            "method_online": SignatureMethod.ONLINE_OTP,
        },
    )
