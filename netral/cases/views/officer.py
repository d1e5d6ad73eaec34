"""Officer pages: intake, case list, work queue, case file and its actions.

Each action view parses one form, gets the case through access.access_case(write=True)
(404 outside the jurisdiction), calls one service, and redirects back to the case file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netral.accounts import access
from netral.accounts.access import Perm
from netral.cases import forms as f
from netral.cases import selectors, services
from netral.cases.deadlines import (
    case_deadlines,
    case_next_deadline,
    completion_notice_given,
    persons_missing_polri_forwarding,
)
from netral.cases.documents import document_generate
from netral.cases.models import Case, EvidenceCheck, Origin, Status
from netral.cases.sanction_rules import campaign_only_articles, suggested_level
from netral.cases.selectors import CaseFilters
from netral.cases.services import CaseData, PersonData, ReporterData, WitnessData
from netral.cases.workflow import allowed_targets, case_transition, is_direct_forwarding
from netral.core.bounds import PAGE_MAX
from netral.core.errors import ApplicationError
from netral.core.formerrors import error_summary
from netral.core.http import AuthenticatedHttpRequest
from netral.core.zones import case_zone
from netral.elections.models import Phase
from netral.elections.selectors import election_list
from netral.registry.selectors import region_get
from netral.registry.widgets import RegionPicker

PAGE_SIZE = 50


@never_cache
@login_required
@require_GET
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, Perm.VIEW)
    g = request.GET
    filters = CaseFilters(
        status=g.get("status", ""),
        origin=g.get("origin", ""),
        regime=g.get("regime", ""),
        region=g.get("region", "").strip(),
        q=g.get("q", ""),
        assigned_to_id=request.user.pk if g.get("mine") else None,
        overdue=bool(g.get("overdue")),
        open_only=bool(g.get("open")),
    )
    qs = selectors.case_list(qs=access.cases_visible_to(request.user), filters=filters)
    # No COUNT(*) over a million rows: fetch one row more than a page to know if there is
    # a next page (the list must answer in < 50 ms, issue 5).
    try:
        number = min(max(int(g.get("page", "1")), 1), PAGE_MAX)
    except ValueError:
        number = 1
    offset = (number - 1) * PAGE_SIZE
    rows = selectors.case_page(qs=qs, offset=offset, limit=PAGE_SIZE + 1)
    labels = {value: str(label) for value, label in Status.choices}
    return render(
        request,
        "cases/officer/list.html",
        {
            # status labels resolved once per page, not per row (get_status_display
            # rebuilds and hashes the 22 lazy choices on every call)
            "page": [(c, labels.get(c.status, c.status)) for c in rows[:PAGE_SIZE]],
            "has_next": len(rows) > PAGE_SIZE,
            "next_page": number + 1,
            "filters": filters,
            "region_picker": RegionPicker(
                scope="mine", attrs={"id": "f-region", "aria-label": _("Wilayah")}
            ).render("region", filters.region),
            "statuses": Status.choices,
            "origins": Origin.choices,
            "now": timezone.now(),
        },
    )


@never_cache
@login_required
@require_GET
def work_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, Perm.HANDLE_CASES)
    qs = selectors.work_queue(qs=access.cases_visible_to(request.user), user_id=request.user.pk)
    return render(request, "cases/officer/queue.html", {"cases": qs[:200], "now": timezone.now()})


def _case_data(
    post: Any,
    region_code: str,
    event: dict[str, Any],
    persons: Any,
    witnesses: Any,
    found: dt.date | None,
) -> CaseData:
    region = region_get(code=region_code)
    if region is None:
        raise ApplicationError(_("Kode wilayah kejadian tidak ditemukan."))
    return CaseData(
        regime=event["regime"],
        incident_region=region,
        incident_place=event["incident_place"],
        title=event["title"],
        description=event["description"],
        event_date=event["event_date"],
        known_date=event["known_date"],
        evidence_list=event["evidence_list"],
        found_date=found,
        persons=[PersonData(**x.cleaned_data) for x in persons if x.cleaned_data],
        witnesses=[WitnessData(**x.cleaned_data) for x in witnesses if x.cleaned_data.get("name")],
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_intake(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, Perm.HANDLE_CASES)
    post = request.POST if request.method == "POST" else None
    intake = f.IntakeForm(post, initial={"origin": request.GET.get("origin", "LAPORAN")})
    # A temuan or informasi awal has no reporter: the browser must not demand one
    # (issue 13 point 15); the server checks the reporter for an office report only.
    reporter_form = f.ReporterForm(post, prefix="pelapor", use_required_attribute=False)
    event_form = f.EventForm(post)
    if post is None:
        event_form = f.EventForm(initial={"submission_key": __import__("uuid").uuid4()})
    persons = f.PersonFormSet(post, prefix="terlapor")
    witnesses = f.WitnessFormSet(post, prefix="saksi")
    online = f.online_evidence_formset(post)
    error = ""
    if post is not None:
        origin = post.get("origin")
        valid = [
            intake.is_valid(),
            event_form.is_valid(),
            persons.is_valid(),
            witnesses.is_valid(),
            online.is_valid() or not online.is_bound,
        ]
        if origin == Origin.LAPORAN:
            valid.append(reporter_form.is_valid())
        if all(valid):
            try:
                data = _case_data(
                    post,
                    intake.cleaned_data["incident_region"],
                    event_form.cleaned_data,
                    persons,
                    witnesses,
                    intake.cleaned_data.get("found_date"),
                )
                data.online = f.online_evidence(online)
                files = request.FILES.getlist("files")
                if origin == Origin.LAPORAN:
                    filed = services.case_intake_office(
                        actor=request.user,
                        data=data,
                        reporter=ReporterData(**reporter_form.cleaned_data),
                        files=files,
                    )
                    messages.success(
                        request,
                        _(
                            "Laporan dicatat. Nomor pelacakan %(tn)s, PIN "
                            "%(pin)s: serahkan kepada pelapor."
                        )
                        % {"tn": filed.case.tracking_number, "pin": filed.pin},
                    )
                    return redirect("cases:detail", filed.case.pk)
                case = services.case_intake_finding(
                    actor=request.user, origin=origin or "", data=data, files=files
                )
                return redirect("cases:detail", case.pk)
            except ApplicationError as exc:
                error = exc.message
        else:
            error = _("Periksa kembali isian yang ditandai.")
    return render(
        request,
        "cases/officer/intake.html",
        {
            "intake": intake,
            "reporter_form": reporter_form,
            "event_form": event_form,
            "persons": persons,
            "witnesses": witnesses,
            "online": online,
            "error": error,
            "errors": error_summary(
                [
                    intake,
                    *([reporter_form] if request.POST.get("origin") == Origin.LAPORAN else []),
                    event_form,
                    persons,
                    witnesses,
                    *([online] if online.is_bound else []),
                ]
            ),
        },
        status=400 if error else 200,
    )


@never_cache
@login_required
@require_GET
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(case=access.access_case(request.user, pk))
    can_handle = access.can_handle_case(request.user, case)
    reporter = getattr(case, "reporter", None)
    forwarded_to = selectors.case_forwarded_to(case=case)
    forwarded_from = selectors.case_forwarded_from(case=case)
    # the case page is in its handling unit's zone (issue 12 point 7), whoever looks
    with timezone.override(case_zone(case).tz):
        return render(
            request,
            "cases/officer/detail.html",
            {
                "case": case,
                "can_handle": can_handle,
                "forwarded_to": forwarded_to,
                "forwarded_to_visible": forwarded_to is not None
                and access.can_see_case(request.user, forwarded_to),
                "forwarded_from": forwarded_from,
                "forwarded_from_visible": forwarded_from is not None
                and access.can_see_case(request.user, forwarded_from),
                "forward_destinations": selectors.forward_destinations(
                    exclude=case.handling_region_id
                )
                if can_handle and case.status in services.FORWARDABLE_STATUSES
                else [],
                "reporter": reporter,
                "reporter_hidden": reporter is not None and reporter.confidential,
                "deadline": case_next_deadline(case) if not case.is_closed else None,
                "running_deadlines": case_deadlines(case) if not case.is_closed else [],
                "polri_missing": [p.name for p in persons_missing_polri_forwarding(case)],
                "notice_pending": case.status == Status.MENUNGGU_KELENGKAPAN
                and not completion_notice_given(case),
                "notice_form": f.CompletionNoticeForm(),
                "regime_form": f.RegimeForm(),
                "elections": election_list(),
                "transitions": allowed_targets(case) if can_handle else [],
                "now": timezone.now(),
                "kajian_form": f.KajianAwalForm(),
                # Kajian awal chose direct forwarding: the letter is recorded here (T25).
                "direct_pending": case.status == Status.KAJIAN_AWAL and is_direct_forwarding(case),
                "clarification_form": f.ClarificationForm(),
                "recommendation_form": f.RecommendationForm(
                    recipients=selectors.recipient_choices(case)
                ),
                "sanction_form": f.SanctionForm(),
                "link_form": f.LinkForm(),
                "recipients": {
                    p.pk: [r.label for r in selectors.recipients_for(p)]
                    for p in case.reported_persons.all()
                },
                "pledges": {
                    p.pk: selectors.pledges_for_official(user=request.user, official=p.official)
                    for p in case.reported_persons.all()
                    if p.official is not None
                },
                "officers": access.case_handlers_for_region(case.handling_region_id)
                if can_handle
                else [],
                "person_form": f.PersonDecideForm(),
                # The election phase on the event date (DOMAIN §0; issue 12 point 15): an article
                # that applies only in the campaign period is flagged outside it.
                "event_phase": case.election_event.phase_on(case.event_date).label
                if case.election_event
                else "",
                "campaign_warnings": {
                    p.pk: campaign_only_articles(p.articles)
                    for p in case.reported_persons.all()
                    if case.election_event
                    and case.election_event.phase_on(case.event_date) != Phase.KAMPANYE
                    and campaign_only_articles(p.articles)
                },
                "skb_suggestions": {
                    p.pk: suggested_level(p) for p in case.reported_persons.all() if p.skb_codes
                },
                "follow_up_form": f.FollowUpForm(),
                "document_form": f.DocumentForm(),
            },
        )


@never_cache
@login_required
@require_GET
def reporter_identity(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.access_case(request.user, pk, write=True)
    reporter = services.reporter_identity_view(case=case, viewer=request.user)
    if reporter is None:
        raise Http404
    return render(request, "cases/officer/_reporter.html", {"reporter": reporter, "case": case})


@never_cache
@login_required
@require_GET
def evidence_download(request: AuthenticatedHttpRequest, pk: int, evidence_id: int) -> FileResponse:
    case = access.access_case(request.user, pk)
    # A file the worker's content check refused is quarantined and never served (issue 15
    # §1); one still being checked passed the cheap checks and is served to officers only.
    evidence = get_object_or_404(
        case.evidence.exclude(file="").exclude(check_status=EvidenceCheck.REFUSED),
        pk=evidence_id,
    )
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=f"bukti-{evidence.pk}{evidence.extension}",
        content_type=evidence.content_type,
    )


@never_cache
@login_required
@require_GET
def document_download(request: AuthenticatedHttpRequest, pk: int, doc_id: int) -> FileResponse:
    case = access.access_case(request.user, pk)
    doc = get_object_or_404(case.documents, pk=doc_id)
    return FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=f"{doc.kind.lower()}-{case.pk}-{doc.pk}.pdf",
        content_type="application/pdf",
    )


# --- actions ---------------------------------------------------------------------------

Action = Callable[[Case, Any, dict[str, Any], AuthenticatedHttpRequest], object]


def _lines(text: str) -> list[str]:
    return [x.strip() for x in (text or "").splitlines() if x.strip()]


def _receive(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    return services.case_receive(case=case, actor=user)


def _kajian(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    target = region_get(code=d["target_region"]) if d.get("target_region") else None
    return services.case_kajian_awal_record(
        case=case,
        actor=user,
        formal=dict.fromkeys(d["formal"], True),
        material=dict.fromkeys(d["material"], True),
        result=d["result"],
        note=d["note"],
        message=d["message"],
        target_region=target,
        respond_by=d.get("respond_by"),
        direct_forwarding=bool(d.get("direct_forwarding")),
    )


def _forward(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    return services.case_forward(
        case=case,
        actor=user,
        destination=selectors.forward_destination_get(code=d["destination"]),
        note=d["note"],
        letter_number=d.get("letter_number") or "",
    )


def _transition(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    if d["to"] not in Status.values:
        raise ApplicationError(_("Status tujuan tidak dikenal."))
    if d["to"] == Status.DIREGISTRASI:
        return services.case_register(case=case, actor=user, note=d["note"])
    if d["to"] == Status.INFORMASI_AWAL:
        return services.case_spawn_initial_information(case=case, actor=user, note=d["note"])
    return case_transition(case=case, to=Status(d["to"]), actor=user, note=d["note"])


def _clarify(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    person = case.reported_persons.filter(pk=d.get("reported_person") or 0).first()
    return services.clarification_schedule(
        case=case,
        actor=user,
        party=d["party"],
        party_name=d["party_name"],
        scheduled_at=d["scheduled_at"],
        mode=d["mode"],
        location=d["location"],
        reported_person=person,
    )


def _clarify_record(
    case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest
) -> object:
    session = get_object_or_404(case.clarifications, pk=d["session"])
    return services.clarification_record(
        session=session, actor=user, attended=d["attended"], minutes=d["minutes"]
    )


def _decide_person(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    person = get_object_or_404(case.reported_persons, pk=d["person"])
    return services.reported_person_decide(
        person=person,
        actor=user,
        finding=d["finding"],
        violation_types=d["violation_types"],
        skb_codes=d["skb_codes"],
        articles=_lines(d["articles"]),
        reasoning=d["reasoning"],
        target_status=d.get("target_status") or "",
    )


def _recommend(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    person = case.reported_persons.filter(pk=d.get("reported_person") or 0).first()
    return services.recommendation_create(
        case=case,
        actor=user,
        reported_person=person,
        recipient=d["recipient"],
        recipient_name=d["recipient_name"],
        letter_number=d["letter_number"],
        letter_date=d["letter_date"],
    )


def _follow_up(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    rec = get_object_or_404(case.recommendations, pk=d["recommendation"])
    return services.recommendation_update(
        recommendation=rec, actor=user, status=d["status"], note=d["note"]
    )


def _sanction(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    rec = get_object_or_404(case.recommendations, pk=d["recommendation"])
    person = get_object_or_404(case.reported_persons, pk=d["reported_person"])
    return services.sanction_record(
        recommendation=rec,
        actor=user,
        reported_person=person,
        level=d["level"],
        type=d["type"],
        decree_number=d["decree_number"],
        decree_date=d["decree_date"],
        imposed_by=d["imposed_by"],
        note=d["note"],
    )


def _link(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    other = access.access_case(user, d["other"])
    return services.case_link(case=case, other=other, type=d["type"], actor=user, note=d["note"])


def _assign(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    officer = (
        access.case_handlers_for_region(case.handling_region_id).filter(pk=d["officer"]).first()
    )
    if officer is None:
        raise ApplicationError(_("Petugas tidak berwenang atas perkara ini."))
    return services.case_assign(case=case, officer=officer, actor=user)


def _evidence(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    files = r.FILES.getlist("files")
    if not files:
        raise ApplicationError(_("Pilih berkas bukti."))
    return services.evidence_add(
        case=case, actor=user, files=files, descriptions=[d["description"]] * len(files)
    )


def _completion_notice(
    case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest
) -> object:
    return services.completion_notice_record(case=case, actor=user, means=d["means"])


def _regime(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    from netral.elections.selectors import election_get

    election = election_get(pk=d["election_event"]) if d.get("election_event") else None
    if d.get("election_event") and election is None:
        raise ApplicationError(_("Pemilihan tidak ditemukan."))
    return services.case_regime_correct(
        case=case, actor=user, regime=d.get("regime") or "", election_event=election, note=d["note"]
    )


def _document(case: Case, user: Any, d: dict[str, Any], r: AuthenticatedHttpRequest) -> object:
    return document_generate(case=case, kind=d["kind"], actor=user)


ACTIONS: dict[str, tuple[type[forms.Form], Action]] = {
    "receive": (forms.Form, _receive),
    "kajian-awal": (f.KajianAwalForm, _kajian),
    "forward": (f.ForwardForm, _forward),
    "transition": (f.TransitionForm, _transition),
    "clarification": (f.ClarificationForm, _clarify),
    "clarification-record": (f.ClarificationRecordForm, _clarify_record),
    "decide-person": (f.PersonDecideForm, _decide_person),
    "recommend": (f.RecommendationForm, _recommend),
    "follow-up": (f.FollowUpForm, _follow_up),
    "sanction": (f.SanctionForm, _sanction),
    "link": (f.LinkForm, _link),
    "assign": (f.AssignForm, _assign),
    "evidence": (f.EvidenceForm, _evidence),
    "document": (f.DocumentForm, _document),
    "completion-notice": (f.CompletionNoticeForm, _completion_notice),
    "regime": (f.RegimeForm, _regime),
}


@never_cache
@login_required
@require_POST
def case_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    case = access.access_case(request.user, pk, write=True)
    form_class, run = ACTIONS[action]
    form = form_class(request.POST)
    # a time typed on a case page is the handling unit's local time, as the page prints it
    with timezone.override(case_zone(case).tz):
        valid = form.is_valid()
    if not valid:
        errors = "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        messages.error(request, _("Isian tidak valid: %(e)s") % {"e": errors})
        return redirect("cases:detail", case.pk)
    try:
        run(case, request.user, form.cleaned_data, request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tersimpan."))
    return redirect("cases:detail", case.pk)
