"""Officer pages of news monitoring: add an article, the review queue, decide a proposal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netral.accounts import access
from netral.core.errors import ApplicationError
from netral.core.http import AuthenticatedHttpRequest
from netral.news import forms, services
from netral.news.models import ProposalKind, ProposalStatus

ORGANISER_NAMES = {
    "BAWASLU": "Bawaslu",
    "PANWASLU_KECAMATAN": "Panwaslu Kecamatan",
    "KESBANGPOL": "Badan Kesbangpol",
    "DPMD": "DPMD",
    "KPU": "KPU",
    "PEMDA": "Pemerintah Daerah",
    "FORKOPIMDA": "Forkopimda",
}


def _prefill_event(proposal: Any) -> dict[str, Any]:
    data = proposal.extraction
    region = proposal.region
    place = ""
    if region is not None:
        place = region.name if region.level == "KABKOTA" else region.short_name
    organiser = ""
    for code in ORGANISER_NAMES:
        if code in data.get("institutions", []):
            organiser = f"{ORGANISER_NAMES[code]} {place}".strip()
            break
    lines = []
    for count in data.get("counts", []):
        lines.append(f"{count['value']} {count['unit']}")
    points = data.get("quoted_points", [])
    if points:
        lines.append(_("Naskah yang dikutip:"))
        lines += [f"{i}. {p}" for i, p in enumerate(points, start=1)]
    people = data.get("people", [])
    return {
        "title": proposal.article.title[:300],
        "kinds": [
            k
            for k in data.get("event_kinds", [])
            if k in ("SOSIALISASI", "DEKLARASI", "APEL", "RAKOR")
        ],
        "date": data.get("event_date") or "",
        "region": proposal.region_id or "",
        "organiser": organiser,
        "speakers": "\n".join(f"{p['name']} | {p['position']}" for p in people),
        "materials": "\n".join(lines),
        "witnesses": "\n".join(f"{p['name']} ({p['position']})" for p in people),
    }


def _prefill_lead(proposal: Any) -> dict[str, Any]:
    data = proposal.extraction
    lead = (data.get("leads") or [{}])[0]
    election = data.get("election") or {}
    people = lead.get("people") or data.get("people", [])
    return {
        "title": proposal.article.title[:300],
        "description": lead.get("summary", ""),
        "region": proposal.region_id or "",
        "regime": election.get("regime", ""),
        "event_date": data.get("event_date") or "",
        "persons": "\n".join(f"{p['name']} | {p['position']}" for p in people),
    }


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, access.Perm.VIEW)
    status = request.GET.get("status", ProposalStatus.PENDING)
    if status not in ProposalStatus.values:
        status = ProposalStatus.PENDING
    proposals = (
        access.proposals_visible_to(request.user)
        .filter(status=status)
        .select_related("article", "region")
        .order_by("-created_at")
    )
    page = Paginator(proposals, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "news/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": ProposalStatus.choices,
            "can_add": access.can_add_news(request.user),
            "url_form": forms.UrlForm(),
            "text_form": forms.TextForm(),
            "upload_form": forms.UploadForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def add(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.can_add_news(request.user):
        raise Http404
    mode = request.POST.get("mode", "url")
    url_form = forms.UrlForm(request.POST if mode == "url" else None)
    text_form = forms.TextForm(request.POST if mode == "text" else None)
    upload_form = forms.UploadForm(
        request.POST if mode == "upload" else None, request.FILES or None
    )
    if request.method == "POST":
        result = None
        try:
            if mode == "url" and url_form.is_valid():
                result = services.article_add_url(
                    url=url_form.cleaned_data["url"], actor=request.user
                )
            elif mode == "text" and text_form.is_valid():
                d = text_form.cleaned_data
                result = services.article_add_text(
                    text=d["text"],
                    title=d["title"],
                    published=d["published"],
                    url=d["url"],
                    actor=request.user,
                )
            elif mode == "upload" and upload_form.is_valid():
                upload = upload_form.cleaned_data["file"]
                result = services.article_add_upload(content=upload.read(), actor=request.user)
        except ApplicationError as exc:
            {"url": url_form, "text": text_form, "upload": upload_form}.get(
                mode, url_form
            ).add_error(None, exc.message)
        if result is not None:
            if not result.created:
                messages.info(
                    request, _("Artikel ini sudah pernah disimpan; tidak disimpan dua kali.")
                )
            elif result.proposals:
                messages.success(request, _("Artikel disimpan dan menjadi usulan untuk ditinjau."))
                visible = [
                    p
                    for p in result.proposals
                    if access.proposals_visible_to(request.user).filter(pk=p.pk).exists()
                ]
                if visible:
                    return redirect("news:proposal", pk=visible[0].pk)
            else:
                messages.warning(
                    request,
                    _("Artikel disimpan tanpa usulan: %(state)s.")
                    % {"state": result.article.get_state_display()},
                )
            return redirect("news:queue")
    return render(
        request,
        "news/add.html",
        {"url_form": url_form, "text_form": text_form, "upload_form": upload_form, "mode": mode},
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = access.access_proposal(request.user, pk)
    can_decide = access.can_decide_proposal(request.user, proposal) and (
        proposal.status == ProposalStatus.PENDING
    )
    is_event = proposal.kind == ProposalKind.EVENT
    form_class = forms.EventProposalForm if is_event else forms.LeadProposalForm
    prefill = _prefill_event(proposal) if is_event else _prefill_lead(proposal)
    form = form_class(request.POST or None, initial=prefill)
    if request.method == "POST":
        if not can_decide:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                region = (
                    access.access_declarations_region(request.user, d["region"])
                    if is_event
                    else None
                )
            except Http404:
                form.add_error("region", _("Wilayah tidak dikenal atau di luar yurisdiksi Anda."))
                region = None
            try:
                if is_event and region is not None:
                    event = services.proposal_accept_event(
                        proposal=proposal,
                        actor=request.user,
                        title=d["title"],
                        kinds=d["kinds"],
                        date=d["date"],
                        region=region,
                        organiser=d["organiser"],
                        venue=d["venue"],
                        materials=d["materials"],
                        witnesses=d["witnesses"],
                        speakers=d["speakers"],
                    )
                    messages.success(request, _("Usulan diterima dan dicatat sebagai kegiatan."))
                    return redirect("declarations:event_detail", pk=event.pk)
                if not is_event:
                    from netral.registry.models import Region

                    lead_region = Region.objects.filter(code=d["region"]).first()
                    if lead_region is None or not access.covers(
                        request.user, lead_region.code, access.Perm.HANDLE_CASES
                    ):
                        form.add_error(
                            "region", _("Wilayah tidak dikenal atau di luar yurisdiksi Anda.")
                        )
                    else:
                        case = services.proposal_accept_lead(
                            proposal=proposal,
                            actor=request.user,
                            title=d["title"],
                            description=d["description"],
                            region=lead_region,
                            regime=d["regime"],
                            event_date=d["event_date"],
                            persons=d["persons"],
                        )
                        messages.success(request, _("Usulan diterima sebagai informasi awal."))
                        return redirect("cases:detail", pk=case.pk)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
    return render(
        request,
        "news/proposal.html",
        {
            "proposal": proposal,
            "article": proposal.article,
            "data": proposal.extraction,
            "form": form,
            "can_decide": can_decide,
            "is_event": is_event,
            "dismiss_form": forms.DismissForm(),
            "officials": services.match_officials(
                proposal.extraction.get("people", []), proposal.region
            ),
            "published": _date(proposal.extraction.get("published_date")),
            "event_date": _date(proposal.extraction.get("event_date")),
        },
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@login_required
@require_POST
def proposal_dismiss(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = access.access_proposal(request.user, pk)
    if not access.can_decide_proposal(request.user, proposal):
        raise Http404
    form = forms.DismissForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.proposal_dismiss(proposal=proposal, actor=request.user, note=note)
        messages.success(request, _("Usulan diabaikan."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("news:queue")
