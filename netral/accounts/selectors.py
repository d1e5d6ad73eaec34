from __future__ import annotations

from netral.accounts.models import Assignment, User


def demo_accounts_exist() -> bool:
    return User.objects.filter(is_demo=True, is_active=True).exists()


def assignments_of(*, user: User) -> list[Assignment]:
    return list(user.assignments.select_related("region").order_by("role"))
