"""Writes of case handling, by stage. Every state change goes through workflow.case_transition.

Where to look:
- intake.py: a citizen's report, an office report, a temuan or informasi awal (DOMAIN §5.1, §8.1)
- registration.py: receipt, kajian awal, completion, withdrawal, registration, informasi
  awal (T1-T14)
- pelimpahan.py: forwarding a report to the competent supervisor unit (T9)
- handling.py: assignment, links, the reporter's identity
- evidence.py: evidence uploads
- clarification.py: invitations and minutes
- decision.py: each reported person's finding and the case's status (T19)
- forwarding.py: the recommendation to the competent authority, its letter and follow-up (§6)
- sanctions.py: sanctions imposed by the authority (§4)
- ../receipt.py: tracking number, PIN and the sealed receipt record

The names below are re-exported so `from netral.cases.services import case_receive` keeps working.
"""

from netral.cases.receipt import pin_hash, pin_matches, receipt_record, receipt_verify
from netral.cases.services.clarification import clarification_record, clarification_schedule
from netral.cases.services.decision import case_decide, reported_person_decide
from netral.cases.services.evidence import MAX_FILES_PER_SUBMISSION, evidence_add
from netral.cases.services.forwarding import (
    document_bytes_store,
    recommendation_create,
    recommendation_update,
)
from netral.cases.services.handling import case_assign, case_link, reporter_identity_view
from netral.cases.services.intake import (
    CaseData,
    FiledReport,
    PersonData,
    ReporterData,
    WitnessData,
    case_file_public,
    case_intake_finding,
    case_intake_office,
)
from netral.cases.services.pelimpahan import (
    FORWARDABLE_STATUSES,
    PELIMPAHAN_ANCHOR_DESTINATION,
    PELIMPAHAN_ANCHOR_ORIGINAL,
    Forwarded,
    case_forward,
)
from netral.cases.services.regime import case_regime_correct
from netral.cases.services.registration import (
    case_completion_answer,
    case_kajian_awal_record,
    case_receive,
    case_register,
    case_spawn_initial_information,
    case_withdraw,
    completion_notice_record,
)
from netral.cases.services.sanctions import sanction_record

__all__ = [
    "FORWARDABLE_STATUSES",
    "MAX_FILES_PER_SUBMISSION",
    "PELIMPAHAN_ANCHOR_DESTINATION",
    "PELIMPAHAN_ANCHOR_ORIGINAL",
    "CaseData",
    "FiledReport",
    "Forwarded",
    "PersonData",
    "ReporterData",
    "WitnessData",
    "case_assign",
    "case_completion_answer",
    "case_decide",
    "case_file_public",
    "case_forward",
    "case_intake_finding",
    "case_intake_office",
    "case_kajian_awal_record",
    "case_link",
    "case_receive",
    "case_regime_correct",
    "case_register",
    "case_spawn_initial_information",
    "case_withdraw",
    "clarification_record",
    "clarification_schedule",
    "completion_notice_record",
    "document_bytes_store",
    "evidence_add",
    "pin_hash",
    "pin_matches",
    "receipt_record",
    "receipt_verify",
    "recommendation_create",
    "recommendation_update",
    "reported_person_decide",
    "reporter_identity_view",
    "sanction_record",
]
