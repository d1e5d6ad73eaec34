"""Issue 14, point 3: the proof-of-work challenge cannot be answered from the page, nor reused."""

from __future__ import annotations

import json
from typing import Any

import altcha
import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings

from netral.cases import challenge


@pytest.fixture(autouse=True)
def _small_and_fresh() -> Any:
    cache.clear()
    with override_settings(NETRAL_ALTCHA_COST=10, NETRAL_ALTCHA_MAX_NUMBER=50):
        yield
    cache.clear()


def _solved() -> tuple[altcha.Challenge, str]:
    issued = altcha.Challenge.from_dict(json.loads(challenge.challenge_new()))
    solution = altcha.solve_challenge(issued)
    assert solution is not None
    return issued, altcha.Payload(issued, solution).to_base64()


def test_a_solution_is_accepted_once() -> None:
    _issued, payload = _solved()
    assert challenge.challenge_ok(payload)
    assert not challenge.challenge_ok(payload)  # replayed


def test_the_page_gives_nothing_away() -> None:
    """What the page holds is a 16-byte key prefix: the only way to the counter is the work."""
    issued = json.loads(challenge.challenge_new())
    parameters = issued["parameters"]
    assert len(parameters["keyPrefix"]) == 32  # hex of 16 bytes
    assert "counter" not in json.dumps(issued)
    assert parameters["algorithm"] == "PBKDF2/SHA-256"


def test_tampered_wrong_expired_or_garbage_solutions_are_refused() -> None:
    issued, payload = _solved()
    data = json.loads(json.dumps(altcha.Payload.from_base64(payload).to_dict()))
    # an easier challenge of the client's own making: the signature no longer matches
    easier = json.loads(json.dumps(data))
    easier["challenge"]["parameters"]["cost"] = 1
    forged = altcha.Payload.from_dict(easier).to_base64()
    assert not challenge.challenge_ok(forged)
    # a guessed key: the prefix is public, the rest is only known by doing the work
    wrong = json.loads(json.dumps(data))
    key = wrong["solution"]["derivedKey"]
    wrong["solution"]["derivedKey"] = key[:32] + "0" * 32
    assert not challenge.challenge_ok(altcha.Payload.from_dict(wrong).to_base64())
    for garbage in ("", "x", "e30=", "A" * 5000):
        assert not challenge.challenge_ok(garbage)
    with time_machine.travel(issued.parameters.expires_at + 5, tick=False):
        assert not challenge.challenge_ok(payload)
    assert challenge.challenge_ok(payload)  # the untouched one still goes, once


def test_the_default_work_is_about_a_million_pbkdf2_iterations() -> None:
    from config import settings as defaults

    expected = defaults.NETRAL_ALTCHA_COST * defaults.NETRAL_ALTCHA_MAX_NUMBER / 2
    assert 500_000 <= expected <= 2_000_000
