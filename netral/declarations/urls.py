from __future__ import annotations

from django.urls import path

from netral.declarations import views

app_name = "declarations"
urlpatterns = [
    path("deklarasi/", views.event_list, name="event_list"),
    path("deklarasi/kegiatan/baru/", views.event_create, name="event_create"),
    path("deklarasi/kegiatan/<int:pk>/", views.event_detail, name="event_detail"),
    path("deklarasi/kegiatan/<int:pk>/peserta/", views.event_checklist, name="event_checklist"),
    path(
        "deklarasi/kegiatan/<int:pk>/peserta/<int:official_id>/naskah/<int:template_id>/",
        views.checklist_sign,
        name="checklist_sign",
    ),
    path(
        "deklarasi/kegiatan/<int:pk>/narasumber/", views.event_speaker_add, name="event_speaker_add"
    ),
    path(
        "deklarasi/kegiatan/<int:pk>/narasumber/<int:speaker_id>/hapus/",
        views.event_speaker_remove,
        name="event_speaker_remove",
    ),
    path("deklarasi/kegiatan/<int:pk>/data/", views.event_facts, name="event_facts"),
    path("deklarasi/kegiatan/<int:pk>/formulir/<str:name>/", views.event_form, name="event_form"),
    path(
        "deklarasi/kegiatan/<int:pk>/peserta/massal/", views.checklist_batch, name="checklist_batch"
    ),
    path("deklarasi/kegiatan/<int:pk>/ikrar-lisan/", views.event_spoken, name="event_spoken"),
    path(
        "deklarasi/kegiatan/<int:pk>/deklarasi-bersama/<int:template_id>/",
        views.event_joint_issue,
        name="event_joint_issue",
    ),
    path("deklarasi/kegiatan/<int:pk>/naskah/", views.event_pledges, name="event_pledges"),
    path("deklarasi/kegiatan/<int:pk>/kehadiran/", views.event_attendance, name="event_attendance"),
    path(
        "deklarasi/kegiatan/<int:pk>/dokumentasi/",
        views.event_document_upload,
        name="event_document_upload",
    ),
    path(
        "deklarasi/kegiatan/<int:pk>/kelembagaan/",
        views.event_institutional,
        name="event_institutional",
    ),
    path(
        "deklarasi/kegiatan/<int:pk>/undangan/",
        views.event_invitations_send,
        name="event_invitations_send",
    ),
    path("deklarasi/kegiatan/<int:pk>/qr.svg", views.event_qr, name="event_qr"),
    path(
        "deklarasi/kegiatan/<int:pk>/sertifikat.pdf",
        views.event_certificates_pdf,
        name="event_certificates_pdf",
    ),
    path(
        "deklarasi/kegiatan/<int:pk>/sertifikat.zip",
        views.event_certificates_zip,
        name="event_certificates_zip",
    ),
    path("deklarasi/dokumentasi/<int:doc_id>/", views.event_document, name="event_document"),
    path(
        "deklarasi/tanda-tangan/<int:sig_id>/sertifikat.pdf",
        views.signature_certificate,
        name="signature_certificate",
    ),
    path(
        "deklarasi/tanda-tangan/<int:sig_id>/cabut/",
        views.signature_revoke,
        name="signature_revoke",
    ),
    path("deklarasi/naskah/", views.template_list, name="template_list"),
    path("deklarasi/naskah/baru/", views.template_create, name="template_create"),
    path("deklarasi/naskah/<int:pk>/", views.template_detail, name="template_detail"),
    path("deklarasi/naskah/<int:pk>/ubah/", views.template_edit, name="template_edit"),
    path("deklarasi/cakupan/", views.coverage_page, name="coverage"),
    path("deklarasi/cakupan.<str:fmt>", views.coverage_export, name="coverage_export"),
    # public
    path("verifikasi/<uuid:code>/", views.verify, name="verify"),
    path(
        "verifikasi/<uuid:code>/sertifikat.pdf", views.verify_certificate, name="verify_certificate"
    ),
    path("verifikasi/bersama/<uuid:code>/", views.verify_joint, name="verify_joint"),
    path(
        "verifikasi/bersama/<uuid:code>/deklarasi.pdf",
        views.verify_joint_pdf,
        name="verify_joint_pdf",
    ),
    path("kegiatan/<uuid:code>/tanda-tangan/", views.sign_qr, name="sign_qr"),
    path("tanda-tangan/<str:token>/", views.sign, name="sign"),
]
