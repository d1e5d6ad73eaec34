"""Officer pages of patroli siber, the offline evidence viewer and the public verification.

Each view calls one access function (404 outside the jurisdiction) and one service or
selector, and renders a server-side template (htmx for polling and small actions).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netral.accounts import access
from netral.accounts.access import Perm
from netral.cases.models import SkbCode
from netral.core.errors import ApplicationError
from netral.core.http import AuthenticatedHttpRequest
from netral.core.zones import active_zone, format_local, zone_of
from netral.elections.selectors import election_get, election_list
from netral.patrol import forms as f
from netral.patrol import replay, selectors, services
from netral.patrol.models import (
    CaptureStatus,
    FileRole,
    ProposalStatus,
    TakedownState,
    TermKind,
    Triage,
)

REPLAY_MAX_AGE = 3600  # seconds a viewer's replay link stays valid


def _unit(request: AuthenticatedHttpRequest, code: str) -> Any:
    return access.access_patrol_unit(request.user, code)


def _event(value: str) -> Any:
    try:
        return election_get(pk=int(value)) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The patrol dashboard: queue, and coverage per unit and period."""
    access.require_perm(request.user, Perm.VIEW)
    period = f.PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=29), today
    if period.is_valid():
        start = period.cleaned_data["start"] or start
        end = period.cleaned_data["end"] or end
    root = access.access_coverage_region(request.user, request.GET.get("wilayah", ""))
    captures = access.captures_visible_to(request.user)
    coverage = selectors.patrol_coverage(
        root=root,
        accounts=access.social_accounts_visible_to(request.user),
        captures=captures,
        start=start,
        end=end,
    )
    return render(
        request,
        "patrol/home.html",
        {
            "coverage": coverage,
            "start": start,
            "end": end,
            "root": root,
            "queue_count": selectors.triage_queue(qs=captures).count(),
            "can_patrol": access.has_perm(request.user, Perm.HANDLE_CASES),
            "triage_labels": dict(Triage.choices),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def capture_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = access.patrol_units(request.user)
    if not units:
        raise Http404
    form = f.CaptureForm(
        request.POST or None,
        units=units,
        events=election_list(),
        initial={"url": request.GET.get("url", "")},
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            capture = services.capture_request(
                actor=request.user,
                url=d["url"],
                unit_region=_unit(request, d["unit"]),
                election_event=_event(d["election_event"]),
                act_kind=d["act_kind"],
            )
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Permintaan tangkapan dicatat."))
            return redirect("patrol:capture", pk=capture.pk)
    return render(request, "patrol/capture_new.html", {"form": form, "error": error})


@login_required
@require_http_methods(["GET", "POST"])
def capture_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = access.patrol_units(request.user)
    if not units:
        raise Http404
    form = f.UploadForm(request.POST or None, units=units, events=election_list())
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            capture = services.capture_upload(
                actor=request.user,
                data=services.UploadData(
                    url=d["url"] or "",
                    seen_at=d["seen_at"],
                    seen_where=d["seen_where"],
                    statement=d["statement"],
                    act_kind=d["act_kind"],
                ),
                files=request.FILES.getlist("files"),
                unit_region=_unit(request, d["unit"]),
                election_event=_event(d["election_event"]),
            )
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Unggahan disegel."))
            return redirect("patrol:capture", pk=capture.pk)
    return render(request, "patrol/capture_upload.html", {"form": form, "error": error})


@login_required
@require_GET
def capture_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, Perm.VIEW)
    triage = request.GET.get("pemilahan", "")
    rows = selectors.capture_list(
        qs=access.captures_visible_to(request.user),
        triage=triage,
        q=request.GET.get("q", "").strip(),
    )[:200]
    units = access.patrol_units(request.user)
    return render(
        request,
        "patrol/capture_list.html",
        {
            "rows": rows,
            "triage": triage,
            "triages": Triage.choices,
            "letter_form": f.LetterForm(units=units) if units else None,
        },
    )


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, Perm.VIEW)
    rows = selectors.triage_queue(qs=access.captures_visible_to(request.user))[:200]
    return render(request, "patrol/queue.html", {"rows": rows})


def _replay_token(capture_id: int) -> str:
    return signing.dumps(capture_id, salt="patrol.replay")


@login_required
@require_GET
def capture_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    capture = access.access_capture(request.user, pk)
    files = selectors.capture_files(capture)
    context = {
        "capture": capture,
        "files": list(capture.files.all()),
        "screenshot": files.get(FileRole.SCREENSHOT)
        or next((x for x in capture.files.all() if x.content_type.startswith("image/")), None),
        "segments": [
            (text, str(TermKind(kind).label) if kind in TermKind.values else "")
            for text, kind in selectors.capture_highlight(capture)
        ],
        "skb_label": (
            str(SkbCode(capture.suggested_skb).label)
            if capture.suggested_skb in SkbCode.values
            else capture.suggested_skb
        ),
        "can_triage": capture.status == CaptureStatus.SELESAI
        and capture.triage in (Triage.BELUM, Triage.PANTAU)
        and access.covers(request.user, capture.unit_region_id, Perm.HANDLE_CASES)
        if capture.unit_region_id
        else access.jurisdiction_codes(request.user, Perm.HANDLE_CASES) is None,
        "triage_form": f.TriageForm(initial={"act_kind": capture.act_kind}),
        "replay_url": (
            reverse("patrol:replay", args=[_replay_token(capture.pk)])
            if FileRole.DOM in files
            else ""
        ),
        "verify_url": reverse("patrol:verify", args=[capture.code]),
    }
    if request.headers.get("HX-Request") and request.GET.get("part") == "status":
        response = render(request, "patrol/_capture_status.html", context)
        if capture.is_finished:
            response["HX-Refresh"] = "true"  # the whole page: files, text, triage form
        return response
    return render(request, "patrol/capture_detail.html", context)


@login_required
@require_GET
def capture_file(request: AuthenticatedHttpRequest, pk: int, file_id: int) -> FileResponse:
    capture = access.access_capture(request.user, pk)
    row = capture.files.filter(pk=file_id).first()
    if row is None:
        raise Http404
    inline = row.content_type.startswith("image/") and request.GET.get("inline") == "1"
    response = FileResponse(
        row.file.open("rb"),
        content_type=row.content_type,
        as_attachment=not inline,
        filename=row.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def capture_triage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    capture = access.access_capture(request.user, pk, write=True)
    form = f.TriageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih keputusan pemilahan."))
        return redirect("patrol:capture", pk=pk)
    d = form.cleaned_data
    try:
        capture = services.capture_triage(
            capture=capture,
            actor=request.user,
            data=services.TriageData(
                decision=d["decision"], note=d["note"], act_kind=d["act_kind"]
            ),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("patrol:capture", pk=pk)
    if capture.case_id:
        messages.success(request, _("Temuan dibuka dengan tangkapan sebagai bukti."))
    else:
        messages.success(request, _("Keputusan pemilahan disimpan."))
    return redirect("patrol:capture", pk=pk)


# --- offline replay (signed link; no session needed inside the sandboxed frame) ------------


def _replay_capture(token: str) -> Any:
    try:
        capture_id = signing.loads(token, salt="patrol.replay", max_age=REPLAY_MAX_AGE)
    except signing.BadSignature as exc:
        raise Http404 from exc
    from netral.patrol.models import Capture

    capture = Capture.objects.filter(pk=capture_id).first()  # the token is the capability
    if capture is None:
        raise Http404
    return capture


def _replay_response(body: bytes | str, content_type: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type, status=status)
    response["Content-Security-Policy"] = replay.CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, max-age=300"
    return response


@xframe_options_sameorigin
@require_GET
def replay_page(request: HttpRequest, token: str) -> HttpResponse:
    capture = _replay_capture(token)
    dom = capture.files.filter(role=FileRole.DOM).first()
    if dom is None:
        raise Http404
    with dom.file.open("rb") as fh:
        html = fh.read().decode("utf-8", "replace")
    base = reverse("patrol:replay_resource", args=[token])

    def resource(url: str) -> str:
        return f"{base}?u={quote(url, safe='')}"

    page = replay.replay_html(html, page_url=capture.final_url or capture.url, resource=resource)
    return _replay_response(page, "text/html; charset=utf-8")


@xframe_options_sameorigin
@require_GET
def replay_resource(request: HttpRequest, token: str) -> HttpResponse:
    capture = _replay_capture(token)
    warc = capture.files.filter(role=FileRole.WARC).first()
    url = request.GET.get("u", "")
    if warc is None or not url:
        raise Http404
    from netral.patrol.matching import url_key

    resources = selectors.archived_resources(warc)
    found = resources.get(url) or resources.get(url_key(url))
    if found is None:
        return _replay_response(b"", "text/plain", status=404)
    status, ctype, body = found
    main_type = ctype.split(";")[0].strip().lower()
    if main_type == "text/css":
        base = reverse("patrol:replay_resource", args=[token])
        css = replay.replay_css(
            body.decode("utf-8", "replace"),
            base_url=url,
            resource=lambda u: f"{base}?u={quote(u, safe='')}",
        )
        return _replay_response(css, ctype, status)
    if not main_type.startswith(("image/", "font/", "video/", "audio/")):
        return _replay_response(b"", "text/plain", status=404)  # scripts and pages: not replayed
    return _replay_response(body, main_type, status)


# --- public verification --------------------------------------------------------------------


@require_GET
def verify(request: HttpRequest, code: Any) -> HttpResponse:
    """Anyone with the code learns whether the sealed files are intact, never their content."""
    from netral.patrol.models import Capture

    capture = Capture.objects.filter(code=code, status=CaptureStatus.SELESAI).first()
    if capture is None:
        raise Http404
    result = services.capture_verify(capture=capture)
    return render(
        request,
        "patrol/verify.html",
        {
            "capture": capture,
            "result": result,
            "files": [(FileRole(x.role).label, x.state) for x in result.files],
        },
    )


# --- watch lists -------------------------------------------------------------------------------


@login_required
@require_GET
def watch_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, Perm.VIEW)
    accounts = access.social_accounts_visible_to(request.user)
    platform = request.GET.get("platform", "")
    rows = selectors.watch_list(
        accounts=accounts,
        platform=platform,
        mine_id=request.user.pk if request.GET.get("mine") else None,
    )
    return render(
        request,
        "patrol/watch_list.html",
        {
            "rows": rows,
            "platform": platform,
            "platforms": selectors.platforms_of(accounts),
            "officers": access.patrol_officers_of(request.user),
            "can_patrol": access.has_perm(request.user, Perm.HANDLE_CASES),
            "proposals": access.account_proposals_visible_to(request.user)
            .filter(status=ProposalStatus.DIAJUKAN)
            .select_related("official", "proposed_by")[:100],
            "can_confirm": access.has_perm(request.user, Perm.MANAGE_OFFICIALS),
            "proposal_form": f.ProposalForm(),
        },
    )


@login_required
@require_POST
def account_checked(request: AuthenticatedHttpRequest, account_id: int) -> HttpResponse:
    account = access.access_social_account(request.user, account_id, write=True)
    services.account_check_nothing(account=account, actor=request.user)
    if request.headers.get("HX-Request"):
        return HttpResponse(
            '<span class="badge ok">'
            + _("Diperiksa, tidak ada temuan")
            + " · "
            + format_local(timezone.now(), zone_of(account.official) or active_zone())
            + "</span>"
        )
    messages.success(request, _("Akun ditandai sudah diperiksa."))
    return redirect("patrol:watch_list")


@login_required
@require_POST
def watch_list_split(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, Perm.HANDLE_CASES)
    officers = list(
        access.patrol_officers_of(request.user).filter(
            pk__in=[int(x) for x in request.POST.getlist("officers") if x.isdigit()]
        )
    )
    accounts = access.social_accounts_visible_to(request.user)
    platform = request.POST.get("platform", "")
    if platform:
        accounts = accounts.filter(platform__iexact=platform)
    units = access.patrol_units(request.user)
    try:
        n = services.watch_list_split(
            accounts=list(accounts.select_related("official")[:5000]),
            officers=officers,
            actor=request.user,
            region_code=units[0].code if units and units[0] else None,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s akun dibagi kepada petugas.") % {"n": n})
    return redirect("patrol:watch_list")


@login_required
@require_POST
def account_propose(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, Perm.HANDLE_CASES)
    form = f.ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Lengkapi usulan akun: ID pejabat, platform dan akun."))
        return redirect("patrol:watch_list")
    d = form.cleaned_data
    official = access.access_official(request.user, d["official_id"])
    try:
        services.account_propose(
            official=official,
            platform=d["platform"],
            handle=d["handle"],
            note=d["note"],
            actor=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Usulan akun dikirim untuk dikonfirmasi pengelola registri."))
    return redirect("patrol:watch_list")


@login_required
@require_POST
def proposal_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = access.access_account_proposal(request.user, pk, write=True)
    try:
        services.account_proposal_decide(
            proposal=proposal, confirm=request.POST.get("confirm") == "1", actor=request.user
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("patrol:watch_list")


@login_required
@require_http_methods(["GET", "POST"])
def terms(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, Perm.VIEW)
    units = access.patrol_units(request.user)
    form = f.TermForm(request.POST or None, units=units or [None], events=election_list())
    if request.method == "POST":
        if not units:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            event = _event(d["election_event"])
            if event is None:
                raise Http404
            try:
                services.watch_term_add(
                    election_event=event,
                    unit_region=_unit(request, d["unit"]),
                    kind=d["kind"],
                    term=d["term"],
                    actor=request.user,
                )
            except ApplicationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Nama ditambahkan ke daftar pantau."))
            return redirect("patrol:terms")
    rows = (
        access.watch_terms_visible_to(request.user)
        .select_related("election_event", "unit_region")
        .order_by("election_event__name", "kind", "term")[:500]
    )
    return render(
        request,
        "patrol/terms.html",
        {"form": form, "rows": rows, "kinds": dict(TermKind.choices), "can_edit": bool(units)},
    )


@login_required
@require_POST
def term_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    term = access.access_watch_term(request.user, pk)
    services.watch_term_remove(term=term, actor=request.user)
    return redirect("patrol:terms")


# --- takedown letters ------------------------------------------------------------------------


def _verify_url(request: HttpRequest) -> Any:
    return lambda code: request.build_absolute_uri(reverse("patrol:verify", args=[code]))


@login_required
@require_POST
def letter_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = access.patrol_units(request.user)
    if not units:
        raise Http404
    form = f.LetterForm(request.POST, units=units)
    ids = [int(x) for x in request.POST.getlist("captures") if x.isdigit()]
    captures = list(
        access.captures_visible_to(request.user, write=True)
        .filter(pk__in=ids)
        .select_related("official", "account")
        .prefetch_related("files")
        .order_by("created_at")
    )
    if len(captures) != len(set(ids)):
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Lengkapi data surat: tujuan, penerima dan satuan pengirim."))
        return redirect("patrol:captures")
    d = form.cleaned_data
    try:
        letter = services.takedown_letter_create(
            actor=request.user,
            captures=captures,
            data=services.LetterData(
                recipient=d["recipient"],
                recipient_name=d["recipient_name"],
                unit_name=d["unit_name"],
                signer_name=d["signer_name"],
            ),
            unit_region=_unit(request, d["unit"]),
            verify_url=_verify_url(request),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("patrol:captures")
    messages.success(request, _("Surat %(n)s dibuat.") % {"n": letter.number})
    return redirect("patrol:letter", pk=letter.pk)


@login_required
@require_GET
def letter_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, Perm.VIEW)
    rows = access.takedown_letters_visible_to(request.user).order_by("-created_at")[:200]
    return render(request, "patrol/letter_list.html", {"rows": rows})


@login_required
@require_GET
def letter_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = access.access_takedown_letter(request.user, pk)
    items = letter.items.select_related("capture", "capture__official", "recheck")
    return render(
        request,
        "patrol/letter_detail.html",
        {
            "letter": letter,
            "items": items,
            "states": TakedownState.choices,
            "can_edit": access.takedown_letters_visible_to(request.user, write=True)
            .filter(pk=pk)
            .exists(),
        },
    )


@login_required
@require_GET
def letter_pdf(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    letter = access.access_takedown_letter(request.user, pk)
    if not letter.pdf:
        raise Http404
    safe = letter.number.replace("/", "-")
    return FileResponse(
        letter.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"surat-{safe}.pdf",
    )


@login_required
@require_POST
def letter_item(request: AuthenticatedHttpRequest, pk: int, item_id: int) -> HttpResponse:
    letter = access.access_takedown_letter(request.user, pk, write=True)
    item = letter.items.filter(pk=item_id).select_related("letter").first()
    if item is None:
        raise Http404
    if request.POST.get("recheck"):
        services.takedown_recheck_request(item=item, actor=request.user)
        messages.success(request, _("Pemeriksaan ulang dijadwalkan."))
    else:
        try:
            services.takedown_item_set_state(
                item=item, state=request.POST.get("state", ""), actor=request.user
            )
        except ApplicationError as exc:
            messages.error(request, str(exc))
    return redirect("patrol:letter", pk=pk)
