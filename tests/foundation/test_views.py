from __future__ import annotations

import pytest
from django.test import Client

from netral.accounts.models import User
from tests.conftest import totp_code, totp_device_for, verify_second_factor
from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
class TestShell:
    def test_the_home_page_is_in_indonesian_by_default(self, client: Client) -> None:
        body = client.get("/").content.decode()
        assert '<html lang="id"' in body
        assert "Pencegahan" in body
        assert "Masuk petugas" in body

    def test_english_can_be_selected(self, client: Client) -> None:
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
        body = response.content.decode()
        assert '<html lang="en"' in body
        assert "Prevention" in body
        assert "Officer sign-in" in body

    def test_healthz_checks_the_database(self, client: Client) -> None:
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["status"] == "ok"

    def test_static_assets_are_served_locally(self, client: Client) -> None:
        body = client.get("/").content.decode()
        assert "/static/vendor/htmx/htmx.min.js" in body
        assert "http://" not in body.split("<body")[0].replace("http://www.w3.org", "")
        assert "https://" not in body.split("<body")[0]

    def test_the_officer_area_needs_a_login(self, client: Client) -> None:
        response = client.get("/petugas/")
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/")

    def test_an_officer_logs_in_sees_their_jurisdiction_and_logs_out(
        self, client: Client, alice: User
    ) -> None:
        device = totp_device_for(alice)
        response = client.post(
            "/masuk/", {"username": "alice", "password": TEST_PASSWORD}, follow=True
        )
        assert "Verifikasi dua langkah" in response.content.decode()  # issue 14 §11
        response = client.post(
            response.redirect_chain[-1][0], {"code": totp_code(device)}, follow=True
        )
        body = response.content.decode()
        assert "Kab. Kutai Timur" in body
        client.post("/keluar/")
        assert client.get("/petugas/").status_code == 302

    def test_a_wrong_password_is_refused_in_indonesian(self, client: Client, alice: User) -> None:
        body = client.post("/masuk/", {"username": "alice", "password": "x"}).content.decode()
        assert "nama pengguna dan sandi yang benar" in body.lower()

    def test_password_change(self, alice_client: Client, alice: User) -> None:
        response = alice_client.post(
            "/akun/sandi/",
            {
                "old_password": TEST_PASSWORD,
                "new_password1": "Kutim-2024-baru!",
                "new_password2": "Kutim-2024-baru!",
            },
        )
        assert response.status_code == 302
        alice.refresh_from_db()
        assert alice.check_password("Kutim-2024-baru!")

    def test_the_demo_banner_shows_while_demo_accounts_exist(self, client: Client) -> None:
        assert "MODE DEMO" not in client.get("/").content.decode()
        User.objects.create(username="demo", is_demo=True)
        assert "MODE DEMO" in client.get("/").content.decode()

    def test_forms_are_csrf_protected(self, alice: User) -> None:
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(alice)
        verify_second_factor(strict, alice)
        assert strict.post("/akun/sandi/", {}).status_code == 403

    def test_argon2_hashes_passwords_in_production_settings(self) -> None:
        from config import settings as prod

        assert prod.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_the_user_chooses(client: Client) -> None:
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id"' in body
    client.cookies["django_language"] = "en"
    assert '<html lang="en"' in client.get("/").content.decode()
