from __future__ import annotations

from django.urls import path

from netral.accounts import views

app_name = "accounts"
urlpatterns = [
    path("akun/", views.account, name="account"),
    path("akun/keluar-semua/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("akun/2fa/", views.two_factor, name="two_factor"),
    path("akun/2fa/daftar/", views.enrol, name="enrol"),
    path("akun/2fa/kode-cadangan/", views.recovery_codes, name="recovery_codes"),
]
