"""Jurisdiction: an officer of Kab. Kutai Timur never sees anything scoped to Kab. Bogor."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.http import Http404

from netral.accounts import access
from netral.accounts.models import Role, User
from netral.audit.services import audit_record
from netral.registry.models import Region
from tests.factories import UserFactory


def _entry_in(region_code: str) -> str:
    region = Region.objects.get(code=region_code)
    with transaction.atomic():
        entry = audit_record(obj=region, action="test.touched", actor=None, region_code=region_code)
    return entry.chain_key


@pytest.mark.django_db
class TestJurisdiction:
    def test_a_regency_officer_sees_only_their_regency(
        self, alice: User, charlie: User, dora: User
    ) -> None:
        # given
        kutim = _entry_in("64.08.04.2001")
        bogor = _entry_in("32.01.01")
        # when
        seen_by_alice = set(
            access.audit_entries_visible_to(alice).values_list("chain_key", flat=True)
        )
        seen_by_dora = set(
            access.audit_entries_visible_to(dora).values_list("chain_key", flat=True)
        )
        # then
        assert kutim in seen_by_alice
        assert bogor not in seen_by_alice
        assert {kutim, bogor} <= seen_by_dora

    def test_another_regions_object_is_a_404_like_a_missing_one(self, alice: User) -> None:
        bogor = _entry_in("32.01.01")
        with pytest.raises(Http404):
            access.access_audit_chain(alice, bogor)
        with pytest.raises(Http404):
            access.access_audit_chain(alice, "registry.region:99")

    def test_the_prefix_rule_does_not_leak_to_lookalike_codes(self) -> None:
        # 64.0 is not a code, but 64.08 must not cover 64.081... nor 64.09
        user = UserFactory(username="k", role=Role.BAWASLU_KABKOTA, region="64.08")
        assert access.covers(user, "64.08.04")
        assert access.covers(user, "64.08")
        assert not access.covers(user, "64.09")
        assert not access.covers(user, "64")
        assert not access.covers(user, "64.080")

    def test_the_read_only_auditor_cannot_handle_cases(self, bob: User) -> None:
        assert access.has_perm(bob, access.Perm.VIEW_AUDIT)
        assert not access.has_perm(bob, access.Perm.HANDLE_CASES)
        assert not access.has_perm(bob, access.Perm.MANAGE_OFFICIALS)

    def test_anonymous_and_inactive_users_see_nothing(self, alice: User) -> None:
        from django.contrib.auth.models import AnonymousUser

        _entry_in("64.08")
        assert not access.audit_entries_visible_to(AnonymousUser()).exists()
        alice.is_active = False
        alice.save()
        fresh = User.objects.get(pk=alice.pk)
        assert not access.audit_entries_visible_to(fresh).exists()

    def test_officers_are_listed_only_within_jurisdiction(
        self, alice: User, charlie: User, dora: User
    ) -> None:
        assert set(access.users_visible_to(alice)) == {alice}
        assert {alice, charlie} <= set(access.users_visible_to(dora))

    def test_a_nested_assignment_is_covered_by_the_broader_one(self) -> None:
        user = UserFactory(username="multi", role=Role.BAWASLU_KABKOTA, region="64.08")
        UserFactory(username="multi", role=Role.PANWASLU_KECAMATAN, region="64.08.04")
        assert access.jurisdiction_codes(User.objects.get(username="multi")) == {"64.08"}
        assert user.pk


@pytest.mark.django_db
class TestScopedViews:
    def test_the_audit_timeline_of_another_regency_is_a_404(
        self,
        alice_client,
        charlie_client,  # type: ignore[no-untyped-def]
    ) -> None:
        bogor = _entry_in("32.01.01")
        assert charlie_client.get(f"/audit/{bogor}/").status_code == 200
        assert alice_client.get(f"/audit/{bogor}/").status_code == 404
        assert alice_client.get("/audit/registry.region:nope/").status_code == 404

    def test_the_recent_audit_page_lists_only_the_officers_region(
        self,
        alice_client,  # type: ignore[no-untyped-def]
    ) -> None:
        kutim = _entry_in("64.08")
        bogor = _entry_in("32.01")
        body = alice_client.get("/audit/").content.decode()
        assert kutim in body
        assert bogor not in body


@pytest.mark.django_db
def test_officials_within_a_region_are_those_the_viewer_may_see_there(
    alice: User, dora: User
) -> None:
    from tests.factories import OfficialFactory

    # given: officials in Kutai Timur (one at the regency itself, one in a desa) and in Bogor
    at_regency = OfficialFactory(region_id="64.08")
    in_desa = OfficialFactory(region_id="64.08.04.2001")
    in_bogor = OfficialFactory(region_id="32.01.01.1001")
    province = OfficialFactory(region_id="64")  # above 64.08, outside it
    # when / then: a region the viewer covers, filtered by its range alone
    assert set(access.officials_visible_to(alice, within="64.08")) == {at_regency, in_desa}
    assert set(access.officials_visible_to(dora, within="64.08")) == {at_regency, in_desa}
    assert set(access.officials_visible_to(alice, within="64.08.04")) == {in_desa}
    # a region the viewer does not cover: still only what the jurisdiction allows
    assert set(access.officials_visible_to(alice, within="32.01")) == set()
    assert set(access.officials_visible_to(alice, within="64")) == {at_regency, in_desa}
    assert set(access.officials_visible_to(dora, within="32")) == {in_bogor}
    assert province in set(access.officials_visible_to(dora, within="64"))


@pytest.mark.django_db
def test_a_joined_officials_condition_selects_what_the_officials_query_does(
    alice: User, dora: User
) -> None:
    from netral.registry.models import SocialAccount
    from tests.factories import OfficialFactory

    # given: one account for each of officials at, under, beside and above Kutai Timur
    # ('64.080' is no Kemendagri code, yet it shares the prefix '64.08' and must not match)
    Region.objects.create(code="64.080", name="Bukan kode", level="kabkota", parent_id="64")
    officials = [
        OfficialFactory(region_id=code)
        for code in ("64.08", "64.08.04.2001", "32.01", "64", "32.01.01.1001", "64.080")
    ]
    for official in officials:
        SocialAccount.objects.create(official=official, platform="x", handle=str(official.pk))
    kutim_panwascam = UserFactory(
        username="panwascam", role=Role.PANWASLU_KECAMATAN, region="64.08.04"
    )
    # when / then: the condition on the account's official equals "official in the
    # officials the viewer may see there", for covered, partly covered and foreign regions
    for user in (alice, dora, kutim_panwascam):
        for within in (None, "64", "64.08", "64.08.04", "32.01", "64.080"):
            joined = SocialAccount.objects.filter(
                access.officials_visible_q(user, within=within, prefix="official__")
            )
            nested = SocialAccount.objects.filter(
                official__in=access.officials_visible_to(user, within=within)
            )
            assert set(joined) == set(nested), (user.username, within)
