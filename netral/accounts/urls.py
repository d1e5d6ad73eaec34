from __future__ import annotations

from django.urls import path

from netral.accounts import views

app_name = "accounts"
urlpatterns = [
    path("akun/", views.account, name="account"),
    path("akun/keluar-semua/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("akun/token/", views.api_token_create, name="api_token_create"),
    path("akun/token/<int:token_id>/cabut/", views.api_token_revoke, name="api_token_revoke"),
    path("akun/2fa/", views.two_factor, name="two_factor"),
    path("akun/2fa/daftar/", views.enrol, name="enrol"),
    path("akun/2fa/kode-cadangan/", views.recovery_codes, name="recovery_codes"),
]
