"""The registry's indexes: each one serves a query, none repeats another's leading columns."""

from __future__ import annotations

import pytest
from django.db import connection

from netral.registry.models import SocialAccount
from tests.factories import OfficialFactory


def _indexes(table: str) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    # a unique constraint is an index too (SQLite reports an inline one as `unique` only)
    return {
        name: info["columns"]
        for name, info in found.items()
        if (info["index"] or info["unique"]) and not info["primary_key"]
    }


@pytest.mark.django_db
def test_a_social_accounts_official_is_served_by_the_unique_index_alone() -> None:
    indexes = _indexes("registry_socialaccount")
    # the unique (official, platform, handle) leads with the official ...
    assert ["official_id", "platform", "handle"] in indexes.values()
    # ... so no index of the official alone is kept beside it (migration registry 0010)
    assert ["official_id"] not in indexes.values()


@pytest.mark.django_db
def test_social_accounts_still_cascade_and_refuse_a_repeat() -> None:
    from django.db import IntegrityError, transaction

    official = OfficialFactory()
    SocialAccount.objects.create(official=official, platform="instagram", handle="@budi")
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialAccount.objects.create(official=official, platform="instagram", handle="@budi")
    assert list(official.social_accounts.values_list("handle", flat=True)) == ["@budi"]
    official.delete()
    assert not SocialAccount.objects.exists()
