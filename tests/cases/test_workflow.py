"""The transition table, guards, audit, registration numbers and concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from netral.audit.models import AuditEntry
from netral.cases import workflow
from netral.cases.models import (
    Case,
    CaseEvent,
    FollowUp,
    PersonFinding,
    Recipient,
    RegistrationCounter,
    Status,
)
from netral.cases.services import (
    case_decide,
    case_kajian_awal_record,
    case_receive,
    case_register,
    case_withdraw,
    clarification_record,
    clarification_schedule,
    recommendation_create,
    recommendation_update,
    reported_person_decide,
    sanction_record,
)
from netral.cases.workflow import InvalidTransition, case_transition
from tests.cases.conftest import file_report

ALL_MET = {
    "IDENTITAS_PELAPOR": True,
    "NAMA_ALAMAT_PELAPOR_DAN_TERLAPOR": True,
    "DALAM_BATAS_WAKTU": True,
}
MATERIAL = {"WAKTU_DAN_TEMPAT_KEJADIAN": True, "URAIAN_KEJADIAN": True, "BUKTI": True}


def register(case: Case, actor: Any) -> Case:
    case = case_receive(case=case, actor=actor)
    return case_kajian_awal_record(
        case=case,
        actor=actor,
        formal=ALL_MET,
        material=MATERIAL,
        result="PERUU_LAIN",
        note="Memenuhi syarat",
    )


@pytest.mark.django_db
class TestTable:
    def test_every_status_of_domain_8_1_exists_and_the_table_only_uses_them(self) -> None:
        assert len(Status.values) == 22
        for tr in workflow.TRANSITIONS:
            assert tr.target in Status.values
            assert all(s in Status.values for s in tr.sources)

    def test_it_refuses_a_transition_not_in_the_table(self, panwascam: Any) -> None:
        case = file_report().case
        with pytest.raises(InvalidTransition):
            case_transition(case=case, to=Status.DIPUTUS, actor=panwascam)
        case.refresh_from_db()
        assert case.status == Status.DRAFT_PUBLIK

    def test_it_refuses_an_officer_of_another_region(self, panwascam: Any, charlie: Any) -> None:
        case = file_report().case
        with pytest.raises(InvalidTransition):
            case_receive(case=case, actor=charlie)
        assert Case.objects.get(pk=case.pk).status == Status.DRAFT_PUBLIK

    def test_a_read_only_auditor_cannot_move_a_case(self, panwascam: Any, bob: Any) -> None:
        case = file_report().case
        with pytest.raises(InvalidTransition):
            case_receive(case=case, actor=bob)

    def test_a_reporter_cannot_register(self, panwascam: Any) -> None:
        case = case_receive(case=file_report().case, actor=panwascam)
        with pytest.raises(InvalidTransition):
            case_transition(
                case=case,
                to=Status.TIDAK_DIREGISTRASI,
                actor=None,
                actor_kind=workflow.Actor.PELAPOR,
                note="x",
            )

    def test_refusal_needs_reasons(self, panwascam: Any) -> None:
        case = case_receive(case=file_report().case, actor=panwascam)
        with pytest.raises(InvalidTransition):
            case_transition(case=case, to=Status.TIDAK_DIREGISTRASI, actor=panwascam, note="")


@pytest.mark.django_db
class TestProcedure:
    def test_report_is_routed_to_the_panwascam_of_the_incident(self, panwascam: Any) -> None:
        case = file_report().case
        assert case.handling_region_id == "64.08.04"
        assert case.status == Status.DRAFT_PUBLIK

    def test_without_an_active_panwascam_it_routes_to_the_regency(self, alice: Any) -> None:
        assert file_report().case.handling_region_id == "64.08"

    def test_receipt_flags_a_late_report_but_still_receives_it(self, panwascam: Any) -> None:
        today = timezone.localdate()
        case = file_report(
            event_date=today - dt.timedelta(days=30), known_date=today - dt.timedelta(days=20)
        ).case
        case = case_receive(case=case, actor=panwascam)
        assert case.status == Status.KAJIAN_AWAL
        assert case.late_filing is True
        assert case.received_at is not None

    def test_registration_needs_formal_and_material_requirements(self, panwascam: Any) -> None:
        case = case_receive(case=file_report().case, actor=panwascam)
        from netral.core.errors import ApplicationError

        with pytest.raises(ApplicationError):
            case_kajian_awal_record(
                case=case,
                actor=panwascam,
                formal={**ALL_MET, "DALAM_BATAS_WAKTU": False},
                material=MATERIAL,
                result="PERUU_LAIN",
            )
        assert Case.objects.get(pk=case.pk).status == Status.KAJIAN_AWAL

    def test_incomplete_report_waits_for_the_reporter_then_resumes(self, panwascam: Any) -> None:
        from netral.cases.services import case_completion_answer

        case = case_receive(case=file_report().case, actor=panwascam)
        case = case_kajian_awal_record(
            case=case,
            actor=panwascam,
            formal=ALL_MET,
            material={**MATERIAL, "BUKTI": False},
            result="LENGKAPI",
            message="Mohon kirim foto kegiatan.",
        )
        assert case.status == Status.MENUNGGU_KELENGKAPAN
        assert case.due_step == "LENGKAPI_WINDOW"
        assert case.due_at is not None
        case = case_completion_answer(case=case, answer="Foto terlampir", files=[])
        assert case.status == Status.KAJIAN_AWAL
        assert case.completion_requests.get().answered_at is not None

    def test_full_path_to_a_sanction_with_audit_and_events(self, panwascam: Any) -> None:
        case = register(file_report().case, panwascam)
        assert case.status == Status.DIREGISTRASI
        assert case.registration_number.startswith("001/Reg/LP/PB/64.08.04/")
        assert case.due_step == "PENANGANAN"
        session = clarification_schedule(
            case=case,
            actor=panwascam,
            party="TERLAPOR",
            party_name="Budi Santoso",
            scheduled_at=timezone.now() + dt.timedelta(days=2),
            mode="TATAP_MUKA",
            location="Kantor Panwascam",
        )
        case.refresh_from_db()
        assert case.status == Status.KLARIFIKASI
        clarification_record(session=session, actor=panwascam, attended=True, minutes="Hadir.")
        case = case_transition(case=case, to=Status.KAJIAN, actor=panwascam)
        person = case.reported_persons.get()
        with pytest.raises(InvalidTransition):
            case_decide(case=case, actor=panwascam)  # the person has no finding yet
        reported_person_decide(
            person=person,
            actor=panwascam,
            finding=PersonFinding.TERBUKTI,
            violation_types=["PERUU_LAINNYA", "PIDANA"],
            skb_codes=[],
            articles=["UU 10/2016 Ps. 71(1)", "UU 10/2016 Ps. 188"],
            reasoning="Terbukti",
        )
        case = case_decide(case=case, actor=panwascam)
        assert case.status == Status.DIPUTUS
        assert case.due_step == "PIDANA_TO_POLRI"  # a crime was found: 1x24 h clock
        rec = recommendation_create(
            case=case,
            actor=panwascam,
            reported_person=person,
            recipient=Recipient.BUPATI_WALIKOTA,
            recipient_name="Bupati Kutai Timur",
            letter_number="012/PP.01/K.KT-04/11/2024",
            letter_date=timezone.localdate(),
        )
        case.refresh_from_db()
        assert case.status == Status.DITERUSKAN
        # The Bupati letter does not forward the crime: the 1x24 h Polri clock keeps running
        # (issue 12 point 2) until the forwarding to Polri through Sentra Gakkumdu is recorded.
        assert case.due_step == "PIDANA_TO_POLRI"
        gakkumdu = recommendation_create(
            case=case,
            actor=panwascam,
            reported_person=person,
            recipient=Recipient.SENTRA_GAKKUMDU,
            recipient_name="Sentra Gakkumdu Kutai Timur",
            letter_number="013/PP.01/K.KT-04/11/2024",
            letter_date=timezone.localdate(),
        )
        case.refresh_from_db()
        assert case.due_step == ""  # no sourced follow-up rule for a Bupati or for Gakkumdu
        recommendation_update(
            recommendation=gakkumdu, actor=panwascam, status=FollowUp.TIDAK_TERBUKTI_INSTANSI
        )
        sanction_record(
            recommendation=rec,
            actor=panwascam,
            reported_person=person,
            level="RINGAN",
            type="DESA_TEGURAN_TERTULIS",
            decree_number="100/SK/2024",
            decree_date=timezone.localdate(),
            imposed_by="Bupati Kutai Timur",
        )
        case.refresh_from_db()
        rec.refresh_from_db()
        assert rec.status == FollowUp.SANKSI_DIJATUHKAN
        assert case.status == Status.SELESAI
        assert case.due_at is None
        moves = list(
            case.events.filter(type=CaseEvent.Type.TRANSITION).values_list(
                "parameters__transition", flat=True
            )
        )
        assert moves == ["T1", "T2", "T10", "T15", "T17", "T19", "T20", "T22", "T23"]
        assert (
            AuditEntry.objects.filter(
                object_id=str(case.pk), action__startswith="case.transition"
            ).count()
            == 9
        )
        kinds = set(case.documents.values_list("kind", flat=True))
        assert kinds == {"INVITATION", "FORWARDING_LETTER"}
        assert case.documents.filter(kind="FORWARDING_LETTER").count() == 2

    def test_withdrawal_after_registration_is_recorded_without_changing_state(
        self, panwascam: Any
    ) -> None:
        case = register(file_report().case, panwascam)
        case_withdraw(case=case, note="Saya cabut")
        case.refresh_from_db()
        assert case.status == Status.DIREGISTRASI
        assert case.events.filter(type=CaseEvent.Type.WITHDRAWAL_AFTER_REGISTRATION).exists()

    def test_withdrawal_before_registration_closes_the_case(self, panwascam: Any) -> None:
        case = case_receive(case=file_report().case, actor=panwascam)
        assert case_withdraw(case=case).status == Status.DICABUT

    def test_a_stale_copy_cannot_transition_twice(self, panwascam: Any) -> None:
        # Two officers open the same case; the second acts on a stale copy.
        case = case_receive(case=file_report().case, actor=panwascam)
        first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
        case_transition(case=first, to=Status.TIDAK_DIREGISTRASI, actor=panwascam, note="TMS")
        with pytest.raises(InvalidTransition):
            case_transition(case=second, to=Status.DICABUT, actor=panwascam)
        assert Case.objects.get(pk=case.pk).status == Status.TIDAK_DIREGISTRASI
        assert case.events.filter(type=CaseEvent.Type.TRANSITION).count() == 3

    def test_registration_numbers_are_sequential_per_unit_and_year(self, panwascam: Any) -> None:
        numbers = [register(file_report().case, panwascam).registration_seq for _ in range(3)]
        assert numbers == [1, 2, 3]
        assert RegistrationCounter.objects.get(unit="64.08.04").last_value == 3

    def test_a_failed_registration_leaves_no_gap(self, panwascam: Any) -> None:
        case = case_receive(case=file_report().case, actor=panwascam)
        with pytest.raises(InvalidTransition):
            case_register(case=case, actor=None)  # type: ignore[arg-type]
        assert not RegistrationCounter.objects.filter(unit="64.08.04", last_value__gt=0).exists()
        assert register(file_report().case, panwascam).registration_seq == 1


def _in_threads(n: int, target: Any) -> list[BaseException | None]:
    results: list[BaseException | None] = [None] * n
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            target(i)
        except BaseException as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestConcurrencyOnPostgres:
    @pytest.fixture(autouse=True)
    def _postgres_only(self) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("row locks need PostgreSQL; SQLite is covered by the stale-copy test")
        from netral.registry.services.regions_load import regions_load
        from tests.cases.conftest import seed_deadline_rules
        from tests.conftest import SAMPLE_REGIONS

        regions_load(path=SAMPLE_REGIONS, edition="sample")
        seed_deadline_rules()

    def test_two_officers_moving_the_same_case_at_once_one_wins(self, panwascam: Any) -> None:
        case = case_receive(case=file_report().case, actor=panwascam)
        targets = [Status.TIDAK_DIREGISTRASI, Status.DICABUT]
        errors = _in_threads(
            2,
            lambda i: case_transition(
                case=Case.objects.get(pk=case.pk), to=targets[i], actor=panwascam, note="x"
            ),
        )
        assert sum(e is None for e in errors) == 1
        assert all(isinstance(e, InvalidTransition) for e in errors if e is not None)
        case.refresh_from_db()
        assert case.status in targets
        assert case.events.filter(type=CaseEvent.Type.TRANSITION).count() == 3

    def test_concurrent_registrations_get_distinct_gap_free_numbers(self, panwascam: Any) -> None:
        cases = [case_receive(case=file_report().case, actor=panwascam) for _ in range(4)]
        errors = _in_threads(
            4,
            lambda i: case_kajian_awal_record(
                case=cases[i],
                actor=panwascam,
                formal=ALL_MET,
                material=MATERIAL,
                result="PERUU_LAIN",
            ),
        )
        assert errors == [None] * 4
        seqs = sorted(
            Case.objects.filter(pk__in=[c.pk for c in cases]).values_list(
                "registration_seq", flat=True
            )
        )
        assert seqs == [1, 2, 3, 4]


@pytest.mark.django_db
class TestLinksAndSpawn:
    def test_a_refused_report_becomes_linked_initial_information(self, panwascam: Any) -> None:
        from netral.cases.models import CaseLinkType, Origin
        from netral.cases.services import case_spawn_initial_information

        case = case_receive(case=file_report().case, actor=panwascam)
        case = case_transition(
            case=case, to=Status.TIDAK_DIREGISTRASI, actor=panwascam, note="Melewati batas waktu"
        )
        child = case_spawn_initial_information(
            case=case, actor=panwascam, note="Materiil terpenuhi"
        )
        assert (child.origin, child.status) == (Origin.INFORMASI_AWAL, Status.INFORMASI_AWAL)
        assert child.parent == case
        assert child.links_out.get().type == CaseLinkType.SPAWNED_FROM
        assert child.reported_persons.count() == 1
        assert child.due_step == "TEMUAN_WINDOW"

    def test_duplicates_are_linked_through_the_case_file(self, panwascam: Any) -> None:
        from django.urls import reverse

        from tests.conftest import client_for

        first, second = file_report().case, file_report().case
        client = client_for(panwascam)
        client.post(
            reverse("cases:action", args=[second.pk, "link"]),
            {"other": first.pk, "type": "DUPLICATE_OF", "note": "Laporan sama"},
        )
        link = second.links_out.get()
        assert (link.to_case, link.type) == (first, "DUPLICATE_OF")
        assert second.events.filter(type=CaseEvent.Type.LINKED).exists()

    def test_assignment_only_to_an_officer_who_may_handle_the_case(
        self, panwascam: Any, charlie: Any
    ) -> None:
        from django.urls import reverse

        from tests.conftest import client_for

        case = file_report().case
        client = client_for(panwascam)
        client.post(reverse("cases:action", args=[case.pk, "assign"]), {"officer": charlie.pk})
        case.refresh_from_db()
        assert case.assigned_to is None
        client.post(reverse("cases:action", args=[case.pk, "assign"]), {"officer": panwascam.pk})
        case.refresh_from_db()
        assert case.assigned_to == panwascam
