from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from netral.cases.views import officer, public

app_name = "cases"
urlpatterns: list[URLPattern | URLResolver] = [
    # public
    path("lapor/", public.report_form, name="public_report"),
    path("lapor/tanda-terima/", public.report_receipt, name="public_receipt"),
    path(
        "lapor/tanda-terima/<uuid:code>.pdf", public.report_receipt_pdf, name="public_receipt_pdf"
    ),
    path("lapor/verifikasi/<uuid:code>/", public.report_verify, name="public_verify"),
    path("lapor/status/", public.report_status, name="public_status"),
    path("lapor/terlapor/cari/", public.official_search, name="public_official_search"),
    path("lapor/wilayah/", public.region_options, name="public_regions"),
    # officers
    path("perkara/", officer.case_list, name="list"),
    path("perkara/antrean/", officer.work_queue, name="queue"),
    path("perkara/baru/", officer.case_intake, name="intake"),
    path("perkara/<int:pk>/", officer.case_detail, name="detail"),
    path("perkara/<int:pk>/pelapor/", officer.reporter_identity, name="reporter_identity"),
    path("perkara/<int:pk>/bukti/<int:evidence_id>/", officer.evidence_download, name="evidence"),
    path("perkara/<int:pk>/dokumen/<int:doc_id>/", officer.document_download, name="document"),
    path("perkara/<int:pk>/aksi/<str:action>/", officer.case_action, name="action"),
]
