from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from netral.accounts.selectors import demo_accounts_exist


def netral(request: HttpRequest) -> dict[str, Any]:
    return {"demo_mode": demo_accounts_exist()}
