from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from netral.accounts.forms import SignInForm
from netral.api.api import api
from netral.core.views import healthz, live, metrics, ready

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", live, name="healthz_live"),
    path("healthz/ready", ready, name="healthz_ready"),
    path("metrics", metrics, name="metrics"),
    # Browsers ask for /favicon.ico whatever the page links (issue 13 point 12).
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the same throttled form as officers (issue 14 §10).
    path(
        "admin/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("masuk/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("netral.accounts.urls")),
    path("", include("netral.core.urls")),
    path("", include("netral.registry.urls")),
    path("", include("netral.audit.urls")),
    path("", include("netral.declarations.urls")),
    path("", include("netral.cases.urls")),
    path("", include("netral.dashboards.urls")),
    path("", include("netral.patrol.urls")),
    path("", include("netral.news.urls")),
]
