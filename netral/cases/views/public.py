"""Public pages: the report form, receipt, status page and receipt verification."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from netral.cases import challenge, ratelimit, selectors
from netral.cases.documents import receipt_pdf
from netral.cases.forms import (
    CompletionAnswerForm,
    EventForm,
    PersonFormSet,
    ReporterForm,
    StatusLoginForm,
    WithdrawForm,
    WitnessFormSet,
    online_evidence,
    online_evidence_formset,
)
from netral.cases.models import Case, Status
from netral.cases.services import (
    CaseData,
    PersonData,
    ReporterData,
    WitnessData,
    case_completion_answer,
    case_file_public,
    case_withdraw,
    pin_matches,
    receipt_verify,
)
from netral.core.errors import ApplicationError
from netral.core.formerrors import ErrorItem, error_summary
from netral.elections.selectors import election_get, election_list
from netral.registry.widgets import VILLAGE_LEVELS, RegionPicker

SESSION_STATUS = "cases.status_case"
# The receipt (tracking number and PIN, shown once) travels to the receipt page in an
# HttpOnly cookie scoped to /lapor/ rather than in a database session: a report then writes no
# session row (the public form's load target, issue 5). The cookie is encrypted and
# authenticated (Fernet: AES-128-CBC with HMAC-SHA256, key derived from SECRET_KEY), so neither
# the PIN nor the tracking number can be read from it on the device or in a proxy's log
# (issue 14, point 9); it expires after RECEIPT_MAX_AGE seconds.
RECEIPT_COOKIE = "netral_receipt"
RECEIPT_SALT = "netral.cases.receipt"
RECEIPT_MAX_AGE = 3600


def _receipt_cipher() -> Fernet:
    key = salted_hmac(RECEIPT_SALT, "receipt-cookie", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _receipt_redirect(receipt: dict[str, str] | None) -> HttpResponse:
    response = redirect("cases:public_receipt")
    if receipt is not None:
        plain = "|".join((receipt["code"], receipt["tracking_number"], receipt["pin"]))
        response.set_cookie(
            RECEIPT_COOKIE,
            _receipt_cipher().encrypt(plain.encode()).decode("ascii"),
            max_age=RECEIPT_MAX_AGE,
            path="/lapor/",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def _receipt_from(request: HttpRequest) -> dict[str, str] | None:
    token = request.COOKIES.get(RECEIPT_COOKIE, "")
    if not token or len(token) > 1000:
        return None
    try:
        raw = _receipt_cipher().decrypt(token.encode("ascii"), ttl=RECEIPT_MAX_AGE).decode()
    except (InvalidToken, UnicodeError, ValueError):
        return None
    parts = raw.split("|")
    if len(parts) != 3:
        return None
    return dict(zip(("code", "tracking_number", "pin"), parts, strict=True))


def _deepest_region(post: Any) -> str:
    """The picked village (`wilayah`, the region picker), or the deepest level of the older
    four-select cascade (`wilayah_1` to `wilayah_4`, still accepted)."""
    picked = (post.get("wilayah") or "").strip()
    if picked:
        return str(picked)
    for level in (4, 3, 2, 1):
        value = (post.get(f"wilayah_{level}") or "").strip()
        if value:
            return str(value)
    return ""


def _size(files: list[UploadedFile]) -> int:
    return sum(f.size or 0 for f in files)


@contextmanager
def _upload_quota(client: str, files: list[UploadedFile]) -> Iterator[None]:
    """Reserve the files' size from the client's daily quota (NETRAL_UPLOAD_QUOTA_MB_PER_DAY)
    before anything is stored; give it back when the files were not stored."""
    size = _size(files)
    if not ratelimit.upload_quota_take(client, size):
        raise ApplicationError(
            _("Batas unggah harian dari alamat Anda sudah tercapai (%(mb)s MB). Coba lagi besok.")
            % {"mb": settings.NETRAL_UPLOAD_QUOTA_MB_PER_DAY}
        )
    try:
        yield
    except BaseException:
        ratelimit.upload_quota_give_back(client, size)
        raise


# The empty form's sections, rendered once per process for each language and list of elections
# (the page's own values, the CSRF token and the submission key, are rendered per request
# around them): about nine tenths of the page's CPU was Django rendering the same 62 widgets
# through the template-based form renderer on every GET. Off with DEBUG, where templates reload.
_FIELDS_HTML: dict[tuple[str, tuple[tuple[int, str], ...]], str] = {}
_FIELDS_HTML_KEEP = 16  # languages x versions of the election list; a new one clears the rest


def _fields_html(context: dict[str, Any], elections: list[Any]) -> str:
    """The unbound form's sections 1 to 5 (cases/public/_report_fields.html) as rendered HTML,
    from the process's copy when there is one."""
    key = (get_language() or "", tuple((e.pk, str(e)) for e in elections))
    html = None if settings.DEBUG else _FIELDS_HTML.get(key)
    if html is None:
        html = render_to_string("cases/public/_report_fields.html", context)
        if not settings.DEBUG:
            if len(_FIELDS_HTML) >= _FIELDS_HTML_KEEP:
                _FIELDS_HTML.clear()
            _FIELDS_HTML[key] = html
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, autoescaped)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/public/limited.html", status=429)


@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    client = ratelimit.client_key(request)
    # both limits read at once (one cache round trip), and counted at once below
    used = ratelimit.used_up(
        ("report", "report_hard") if request.method == "POST" else ("report",), client
    )
    needs_challenge = settings.NETRAL_CHALLENGE_ALWAYS or used["report"]
    error = ""
    region_error = ""
    if request.method == "POST":
        reporter_form = ReporterForm(request.POST, prefix="pelapor")
        event_form = EventForm(request.POST)
        persons = PersonFormSet(request.POST, prefix="terlapor")
        witnesses = WitnessFormSet(request.POST, prefix="saksi")
        online = online_evidence_formset(request.POST)
        if used["report_hard"]:
            return _too_many(request)
        # Every part is validated, so every error shows at once (issue 13 point 16).
        valid = [f.is_valid() for f in (reporter_form, event_form, persons, witnesses)]
        valid.append(online.is_valid() or not online.is_bound)
        region = selectors.intake_region(code=_deepest_region(request.POST))
        if region is None:
            region_error = _("Pilih wilayah tempat kejadian (sampai desa/kelurahan).")
        if not all(valid) or region is None:
            error = _("Periksa kembali isian yang ditandai.")
        elif not ratelimit.hit_all(("report_hard", "report"), client)["report_hard"]:
            # only a submission that passed validation counts toward the limits (an empty
            # POST costs the server nothing to refuse, and must not block a shared address):
            # toward the hard cap, and toward the challenge's threshold, whether it is then
            # filed or refused (a resend of a filed report counts too, as it always has)
            return _too_many(request)
        elif needs_challenge and not challenge.challenge_ok(request.POST.get("altcha", "")):
            error = _("Pemeriksaan keamanan belum selesai atau tidak sah. Coba kirim lagi.")
        else:
            ev = event_form.cleaned_data
            election = election_get(pk=ev.get("election_event") or None)
            data = CaseData(
                regime=ev["regime"],
                election_event=election,
                incident_region=region,
                incident_place=ev["incident_place"],
                title=ev["title"],
                description=ev["description"],
                event_date=ev["event_date"],
                known_date=ev["known_date"],
                evidence_list=ev["evidence_list"],
                persons=[PersonData(**f.cleaned_data) for f in persons if f.cleaned_data],
                witnesses=[
                    WitnessData(**f.cleaned_data) for f in witnesses if f.cleaned_data.get("name")
                ],
                online=online_evidence(online),
            )
            files = request.FILES.getlist("files")
            try:
                with _upload_quota(client, files):
                    filed = case_file_public(
                        data=data,
                        reporter=ReporterData(**reporter_form.cleaned_data),
                        files=files,
                        submission_key=ev["submission_key"],
                    )
            except ApplicationError as exc:
                error = exc.message
            else:
                if filed.duplicate:
                    ratelimit.upload_quota_give_back(client, _size(files))
                return _receipt_redirect(
                    None
                    if filed.duplicate
                    else {
                        "code": str(filed.case.code),
                        "tracking_number": filed.case.tracking_number or "",
                        "pin": filed.pin,
                    }
                )
    else:
        reporter_form = ReporterForm(prefix="pelapor")
        event_form = EventForm(initial={"submission_key": uuid.uuid4()})
        persons = PersonFormSet(prefix="terlapor")
        witnesses = WitnessFormSet(prefix="saksi")
        online = online_evidence_formset(None)
    challenge_json = challenge.challenge_new() if needs_challenge else ""
    post = request.POST if request.method == "POST" else None
    region_code = _deepest_region(post) if post is not None else ""
    extra = [ErrorItem("id_wilayah", _("Wilayah kejadian"), region_error)]
    elections = list(election_list())
    context: dict[str, Any] = {
        "errors": error_summary(
            [reporter_form, persons, event_form, witnesses, online],
            extra=extra if region_error else [],
        ),
        "region_error": region_error,
        "election_selected": str(post.get("election_event", "")) if post else "",
        "files_sent": bool(post is not None and request.FILES.getlist("files")),
        "reporter_form": reporter_form,
        "event_form": event_form,
        "persons": persons,
        "witnesses": witnesses,
        "online": online,
        "error": error,
        "challenge": challenge_json,
        "elections": elections,
    }
    region_picker = RegionPicker(
        levels=VILLAGE_LEVELS, attrs={"id": "id_wilayah", "required": True}
    )
    if post is None:
        # the empty page: the sections come from the process's rendered copy
        context["region_picker"] = lambda: region_picker.render("wilayah", "")
        context["fields_html"] = _fields_html(context, elections)
    else:
        context["region_picker"] = region_picker.render("wilayah", region_code)
    return render(request, "cases/public/report_form.html", context, status=400 if error else 200)


@never_cache
@require_GET
def report_receipt(request: HttpRequest) -> HttpResponse:
    receipt = _receipt_from(request)
    if not receipt or "code" not in receipt:
        return redirect("cases:public_status")
    case = selectors.case_by_code(code=receipt["code"])
    if case is None:
        raise Http404
    return render(request, "cases/public/receipt.html", {"case": case, "receipt": receipt})


@never_cache
@require_GET
def report_receipt_pdf(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    case = selectors.case_by_code(code=str(code))
    if case is None or not case.tracking_number:
        raise Http404
    response = HttpResponse(receipt_pdf(case=case), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="tanda-terima-{case.tracking_number}.pdf"'
    )
    return response


@require_GET
def report_verify(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    case = selectors.case_by_code(code=str(code))
    if case is None or not case.tracking_number:
        raise Http404
    return render(
        request,
        "cases/public/verify.html",
        {"case": case, "valid": receipt_verify(case), "seal": case.receipt_seal or {}},
    )


def _status_case(request: HttpRequest) -> Case | None:
    code = request.session.get(SESSION_STATUS)
    return selectors.case_by_code(code=code) if code else None


@never_cache
@require_http_methods(["GET", "POST"])
def report_status(request: HttpRequest) -> HttpResponse:
    client = ratelimit.client_key(request)
    first = _status_case(request)
    # After a pelimpahan (T9) the tracking number leads on to the case at the receiving unit:
    # the reporter follows, completes and withdraws the report there.
    chain = selectors.case_forward_chain(case=first) if first is not None else []
    case = chain[-1] if chain else None
    login = StatusLoginForm()
    error = ""
    if request.method == "POST" and request.POST.get("action") == "login":
        login = StatusLoginForm(request.POST)
        if login.is_valid():
            tn = login.cleaned_data["tracking_number"].strip().upper()
            # Count the attempt first, against this client and this tracking number (never
            # against everyone), then decide: a burst gets exactly the limit's tries.
            client_ok = ratelimit.hit("pin", client)
            number_ok = ratelimit.hit("pin", "tn:" + tn)
            if not (client_ok and number_ok):
                return _too_many(request)
            found = selectors.case_by_tracking(tracking_number=tn)
            if found is not None and pin_matches(found, login.cleaned_data["pin"]):
                ratelimit.undo("pin", client)  # a right PIN is not a failure
                ratelimit.undo("pin", "tn:" + tn)
                request.session.cycle_key()
                request.session[SESSION_STATUS] = str(found.code)
                return redirect("cases:public_status")
            error = _("Nomor pelacakan atau PIN salah.")
    elif request.method == "POST" and case is not None:
        action = request.POST.get("action")
        try:
            if action == "answer":
                answer = CompletionAnswerForm(request.POST)
                if not answer.is_valid():
                    raise ApplicationError(_("Jawaban terlalu panjang."))
                files = request.FILES.getlist("files")
                with _upload_quota(client, files):
                    case_completion_answer(
                        case=case, answer=answer.cleaned_data.get("answer", ""), files=files
                    )
                messages.success(request, _("Terima kasih, kelengkapan laporan sudah dikirim."))
            elif action == "withdraw":
                withdraw = WithdrawForm(request.POST)
                if not withdraw.is_valid():
                    raise ApplicationError(_("Alasan pencabutan terlalu panjang."))
                case_withdraw(case=case, note=withdraw.cleaned_data["note"])
                messages.success(request, _("Pencabutan laporan sudah dicatat."))
            elif action == "logout":
                request.session.pop(SESSION_STATUS, None)
            return redirect("cases:public_status")
        except ApplicationError as exc:
            error = exc.message
    if case is None:
        return render(
            request,
            "cases/public/status_login.html",
            {"form": login, "error": error},
            status=400 if error else 200,
        )
    events = selectors.case_public_events(cases=chain)
    return render(
        request,
        "cases/public/status.html",
        {
            "case": case,
            "first": chain[0],
            "forwards": chain[1:],
            "events": events,
            "error": error,
            "open_request": case.completion_requests.filter(answered_at__isnull=True).first(),
            "answer_form": CompletionAnswerForm(),
            "can_withdraw": case.status not in (Status.DRAFT_PUBLIK,) and not case.is_closed,
        },
    )


@require_GET
def official_search(request: HttpRequest) -> HttpResponse:
    if not ratelimit.hit("search", ratelimit.client_key(request)):
        return _too_many(request)
    row = request.GET.get("row", "0")
    row = row if row.isdigit() and len(row) <= 2 else "0"
    # htmx sends the typed name under the input's own name (no inline `js:` values: the
    # Content Security Policy forbids eval); `q` stays for other callers.
    query = request.GET.get("q") or request.GET.get(f"terlapor-{row}-name", "")
    rows = selectors.public_officials_search(query=query[:100])
    return render(request, "cases/public/_official_results.html", {"rows": rows, "row": row})


@require_GET
def region_options(request: HttpRequest) -> HttpResponse:
    try:
        level = int(request.GET.get("level", "2"))
    except ValueError:
        level = 2
    parent = (request.GET.get(f"wilayah_{level - 1}") or "").strip()
    regions = selectors.region_options(parent=parent) if parent else []
    return render(
        request, "cases/public/_region_options.html", {"regions": regions, "level": level}
    )
