from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from netral.patrol import views

app_name = "patrol"
urlpatterns: list[URLPattern | URLResolver] = [
    path("patroli/", views.home, name="home"),
    path("patroli/tangkap/", views.capture_new, name="capture_new"),
    path("patroli/unggah/", views.capture_upload, name="capture_upload"),
    path("patroli/antrean/", views.queue, name="queue"),
    path("patroli/tangkapan/", views.capture_list, name="captures"),
    path("patroli/tangkapan/<int:pk>/", views.capture_detail, name="capture"),
    path("patroli/tangkapan/<int:pk>/pilah/", views.capture_triage, name="triage"),
    path("patroli/tangkapan/<int:pk>/berkas/<int:file_id>/", views.capture_file, name="file"),
    path("patroli/arsip/<str:token>/", views.replay_page, name="replay"),
    path("patroli/arsip/<str:token>/r/", views.replay_resource, name="replay_resource"),
    path("patroli/pantau/", views.watch_list, name="watch_list"),
    path("patroli/pantau/bagi/", views.watch_list_split, name="watch_split"),
    path("patroli/pantau/akun/<int:account_id>/nihil/", views.account_checked, name="checked"),
    path("patroli/pantau/usulan/", views.account_propose, name="propose"),
    path("patroli/pantau/usulan/<int:pk>/", views.proposal_decide, name="proposal_decide"),
    path("patroli/daftar-nama/", views.terms, name="terms"),
    path("patroli/daftar-nama/<int:pk>/hapus/", views.term_remove, name="term_remove"),
    path("patroli/surat/", views.letter_list, name="letters"),
    path("patroli/surat/baru/", views.letter_create, name="letter_create"),
    path("patroli/surat/<int:pk>/", views.letter_detail, name="letter"),
    path("patroli/surat/<int:pk>/surat.pdf", views.letter_pdf, name="letter_pdf"),
    path("patroli/surat/<int:pk>/alamat/<int:item_id>/", views.letter_item, name="letter_item"),
    path("verifikasi/tangkapan/<uuid:code>/", views.verify, name="verify"),
]
