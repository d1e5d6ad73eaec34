def test_a_request_without_an_address_counts_under_no_address() -> None:
    """axes keeps the address in an IP column: PostgreSQL refused "unknown" (every
    force_login of the test client failed there)."""
    from django.http import HttpRequest

    from netral.accounts.signin import client_ip

    assert client_ip(HttpRequest()) == ""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "192.0.2.7"
    assert client_ip(request) == "192.0.2.7"
