"""Loading an empty registry directly (services/import_direct.py, docs/decisions/0009).

Every test of test_officials_import.py also runs on this path; these compare it with the
staged path row for row and error for error."""

from __future__ import annotations

import pytest

from tests.registry.helpers import csv_bytes, db_state, import_and_undo

pytestmark = pytest.mark.django_db

_DIRECT_CASES = {
    "valid": [  # agencies named by rows of several batches, social accounts, accents
        *(f"PNS,Orang {i},,,,,,Dinas {i % 7} Kutai Timur,64.08.04,,,ig:@o{i}" for i in range(40)),
        "KEPALA_DESA,Yakob Lakát,,6408041505700002,,,,Pemerintah Desa Singa Gembara,"
        "64.08.04.2011,a@b.id,0812345678,",
    ],
    "errors and duplicates": [  # reported together, as the staging path reports them
        *(f"PNS,Orang {i},bukan-nip,,,,,,64.08,,," for i in range(30)),
        "PNS,Orang Baik,198403222009021004,,,,,,64.08,,,",
        "PNS,Orang Ganda,198403222009021004,,,,,,64.08,,,",
        "TNI,Andi,,,31990123,,,,64.08,,,",
        "POLRI,Budi,,,31990123,,,,64.08,,,",
    ],
    "duplicates only": [  # found when a unique index refuses them, then located row by row
        "KEPALA_DESA,Satu,,6408041505700002,,,,,64.08,,,",
        "KEPALA_DESA,Dua,,6408041505700002,,,,,64.08,,,",
        "PPPK,Tiga,199009132025242014,,,,,,64.08,,,",
        "PPPK,Empat,199009132025242014,,,,,,64.08,,,",
    ],
}


@pytest.mark.parametrize("rows", list(_DIRECT_CASES.values()), ids=list(_DIRECT_CASES))
@pytest.mark.parametrize("in_process", [False, True], ids=["inline", "reader"])
def test_loading_an_empty_registry_directly_imports_exactly_what_staging_does(
    monkeypatch: pytest.MonkeyPatch, rows: list[str], in_process: bool
) -> None:
    from netral.registry.services import officials_import as service

    monkeypatch.setattr(service, "READER_PROCESS_FROM", 0)
    monkeypatch.setattr(service, "DIRECT_LOAD_FROM", 0)  # a file of any size
    monkeypatch.setattr(service, "BATCH", 7)
    state = db_state()
    staged = import_and_undo(csv_bytes(*rows), in_process=in_process, direct_load=False)
    direct = import_and_undo(csv_bytes(*rows), in_process=in_process, direct_load=True)

    assert direct == staged
    assert staged[0]["created"] == len(rows) or staged[0]["error_count"] in (32, 2)
    assert db_state() == state


@pytest.mark.parametrize("in_process", [False, True], ids=["inline", "reader"])
def test_a_load_that_fails_midway_leaves_the_registry_and_its_tallies_as_they_were(
    monkeypatch: pytest.MonkeyPatch, in_process: bool
) -> None:
    """On PostgreSQL the officials go through one COPY from the first batch to the last (the
    social accounts spooled beside it): a failure after some batches abandons it, and the
    transaction rolls back with the tally trigger it had set aside."""
    from netral.dashboards import tallies
    from netral.registry.services import officials_import as service

    monkeypatch.setattr(service, "READER_PROCESS_FROM", 0)
    monkeypatch.setattr(service, "DIRECT_LOAD_FROM", 0)
    monkeypatch.setattr(service, "BATCH", 7)
    read_batches = service._read_batches

    def failing(*args: object, **kwargs: object) -> object:
        for number, batch in enumerate(read_batches(*args, **kwargs)):  # type: ignore[arg-type]
            if number == 3:
                raise RuntimeError("the disk went away")
            yield batch

    monkeypatch.setattr(service, "_read_batches", failing)
    state = db_state()
    # when
    with pytest.raises(RuntimeError, match="the disk went away"):
        import_and_undo(csv_bytes(*_DIRECT_CASES["valid"]), in_process=in_process, direct_load=True)
    # then
    assert db_state() == state
    assert tallies.installed_triggers() == tallies.expected_triggers()
    assert tallies.tally_check() == tallies.in_step()


def test_a_direct_load_counts_its_officials_and_social_accounts_in_the_tallies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The officials' tally trigger stands aside for the load and the load is counted once;
    the social accounts' one COPY fires their statement trigger once: the tallies, the account
    tally included, equal a recount, and every trigger is back."""
    from netral.dashboards import tallies
    from netral.dashboards.models import AccountTally
    from netral.registry.services import officials_import as service
    from netral.registry.services.officials_import import officials_import

    monkeypatch.setattr(service, "READER_PROCESS_FROM", 0)
    monkeypatch.setattr(service, "DIRECT_LOAD_FROM", 0)
    monkeypatch.setattr(service, "BATCH", 7)
    # when
    result = officials_import(
        file=csv_bytes(*_DIRECT_CASES["valid"]), source_name="x", direct_load=True
    )
    # then
    assert result.created == 41
    assert result.social_added == 40
    assert sum(AccountTally.objects.values_list("n", flat=True)) == 40
    assert tallies.installed_triggers() == tallies.expected_triggers()
    assert tallies.tally_check() == tallies.in_step()
