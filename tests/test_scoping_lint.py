"""Scope is enforced in one place (STYLE.md §1.5): views and the API never query scoped
models directly; they go through netral/accounts/access.py."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "netral"

# Every model whose rows belong to a jurisdiction. Add new scoped models here.
SCOPED_MODELS = [
    "AuditEntry",
    "Official",
    "Agency",
    "Assignment",
    "User",
    "SocialAccount",
    "PositionHistory",
    "ImportJob",
    "Declaration",
    "Signature",
    "Event",
    "PledgeTemplate",
    "EventDocument",
    "EventParticipant",
    "EventSpeaker",
    "SigningInvitation",
    "Report",
    "Case",
    "Evidence",
    "Recommendation",
    "Sanction",
    "Reporter",
    "ReportedPerson",
    "CaseDocument",
    "ClarificationSession",
    "DeadlineAlert",
]
PATTERN = re.compile(r"\b(" + "|".join(SCOPED_MODELS) + r")\.(objects|_default_manager)\b")


def _interface_modules() -> list[Path]:
    modules = list(ROOT.glob("*/views.py")) + list(ROOT.glob("*/views/*.py"))
    modules += list((ROOT / "api").rglob("*.py"))
    return modules


def test_views_and_api_do_not_query_scoped_models_directly() -> None:
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{n}: {line.strip()}"
        for path in _interface_modules()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if PATTERN.search(line)
    ]
    assert offenders == [], "query through accounts/access.py instead:\n" + "\n".join(offenders)


def test_the_lint_catches_a_direct_query(tmp_path: Path) -> None:
    assert PATTERN.search("cases = Case.objects.filter(region=x)")
    assert PATTERN.search("Official.objects.get(pk=1)")
    assert not PATTERN.search("cases = access.cases_visible_to(user)")


def test_there_are_interface_modules_to_check() -> None:
    assert len(_interface_modules()) >= 3
