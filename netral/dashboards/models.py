"""Pre-aggregated counts ("tallies") behind the evaluation dashboard (issue 6, "Performance").

A tally row is a signed delta: `n` rows of the source tables have (or, when negative, no
longer have) this combination of keys. Database triggers on the source tables
(netral/dashboards/tallies.py) append a -1 row for a source row's old keys and a +1 row for
its new keys in the same transaction as the change itself, whatever wrote it: a service, the
admin, a bulk import, a migration. The dashboard sums them per key, so its numbers are always
those of the committed data; `tally_compact` folds the deltas into one row per key from time
to time (docs/decisions/0007-dashboard-tallies.md).

`folded` tells the two apart: a trigger's delta is written unfolded (the column's database
default), a fold replaces the deltas it saw and the folded rows of their keys by one folded
row per key. Two partial indexes serve the fold: the unfolded rows (few, by id) and the
folded rows by key, so that a fold reads and writes the keys the deltas touch, not the table
(docs/decisions/0014-incremental-tally-fold.md). The case-grain tallies also have an index on
`unit` for a regency's or province's `unit = '64.08' OR unit LIKE '64.08.%'` (pattern ops on
PostgreSQL, whose collation would otherwise keep LIKE off a btree).

Keys hold plain values, not foreign keys: a tally row outlives nothing and is never joined.
`unit` is the region code cut to the kecamatan (8 characters; shorter codes stay whole), or
to the kabupaten/kota (5) for DecisionTally; `month` is the first day of the local month of
the case's date (received, else created); `event_id` is 0 for "no election event".
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class _Tally(models.Model):
    n = models.IntegerField()
    folded = models.BooleanField(db_default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__}({self.n:+d})"


class OfficialTally(_Tally):
    """Active officials per kecamatan, subject type and position category."""

    unit = models.CharField(max_length=13)
    subject_type = models.CharField(max_length=32)
    position_category = models.CharField(max_length=32)

    class Meta:
        indexes = (
            models.Index(fields=["id"], condition=Q(folded=False), name="officialtally_delta"),
            models.Index(
                fields=["unit"], opclasses=["varchar_pattern_ops"], name="officialtally_unit"
            ),
            models.Index(
                fields=["unit", "subject_type", "position_category"],
                condition=Q(folded=True),
                name="officialtally_key",
            ),
        )


class CaseTally(_Tally):
    """Cases (not public drafts) per kecamatan of the incident, event, month, origin, status
    and whether they were registered."""

    unit = models.CharField(max_length=13)
    event_id = models.IntegerField()
    month = models.DateField()
    origin = models.CharField(max_length=16)
    status = models.CharField(max_length=32)
    registered = models.BooleanField()

    class Meta:
        indexes = (
            models.Index(fields=["id"], condition=Q(folded=False), name="casetally_delta"),
            models.Index(fields=["unit"], opclasses=["varchar_pattern_ops"], name="casetally_unit"),
            models.Index(
                fields=["unit", "event_id", "month"], condition=Q(folded=True), name="casetally_key"
            ),
        )


class PersonTally(_Tally):
    """Reported persons of cases, per finding, subject type, position category and agency
    (the registry's agency of the linked official, else the name typed in the case)."""

    unit = models.CharField(max_length=13)
    event_id = models.IntegerField()
    month = models.DateField()
    finding = models.CharField(max_length=32)
    subject_type = models.CharField(max_length=32)
    position_category = models.CharField(max_length=32)
    agency_id = models.IntegerField()
    agency_name = models.CharField(max_length=200)

    class Meta:
        indexes = (
            models.Index(fields=["id"], condition=Q(folded=False), name="persontally_delta"),
            models.Index(
                fields=["unit"], opclasses=["varchar_pattern_ops"], name="persontally_unit"
            ),
            models.Index(
                fields=["unit", "event_id", "month"],
                condition=Q(folded=True),
                name="persontally_key",
            ),
        )


class CodeTally(_Tally):
    """Reported persons per violation type (kind "V") or SKB 2022 code (kind "S"), each
    element of their lists counted once."""

    unit = models.CharField(max_length=13)
    event_id = models.IntegerField()
    month = models.DateField()
    finding = models.CharField(max_length=32)
    kind = models.CharField(max_length=1)
    code = models.CharField(max_length=64)

    class Meta:
        indexes = (
            models.Index(fields=["id"], condition=Q(folded=False), name="codetally_delta"),
            models.Index(fields=["unit"], opclasses=["varchar_pattern_ops"], name="codetally_unit"),
            models.Index(
                fields=["unit", "event_id", "month"], condition=Q(folded=True), name="codetally_key"
            ),
        )


class DecisionTally(_Tally):
    """Decided cases per kabupaten/kota, with the local dates the deadline check needs (the
    check itself runs when the dashboard is read, against the deadline rules in force)."""

    unit = models.CharField(max_length=13)
    event_id = models.IntegerField()
    month = models.DateField()
    regime = models.CharField(max_length=10)
    received_day = models.DateField(null=True)
    registered_day = models.DateField(null=True)
    extended = models.BooleanField()
    decided_day = models.DateField()

    class Meta:
        indexes = (
            models.Index(fields=["id"], condition=Q(folded=False), name="decisiontally_delta"),
            models.Index(
                fields=["unit"], opclasses=["varchar_pattern_ops"], name="decisiontally_unit"
            ),
            models.Index(
                fields=["unit", "event_id", "month"],
                condition=Q(folded=True),
                name="decisiontally_key",
            ),
        )


class DueTally(_Tally):
    """Open cases with a deadline, per kecamatan, event, month and the local day the
    deadline falls on. Whether a deadline has passed depends on the clock: the dashboard
    sums the days before today here and counts today's from the rows."""

    unit = models.CharField(max_length=13)
    event_id = models.IntegerField()
    month = models.DateField()
    due_day = models.DateField()

    class Meta:
        indexes = (
            models.Index(fields=["id"], condition=Q(folded=False), name="duetally_delta"),
            models.Index(fields=["unit"], opclasses=["varchar_pattern_ops"], name="duetally_unit"),
            models.Index(
                fields=["unit", "event_id", "month"], condition=Q(folded=True), name="duetally_key"
            ),
        )


class AccountTally(_Tally):
    """Social accounts of the registry (any official's, active or not) per kecamatan of the
    official's region: the patrol coverage's "accounts registered" (issue 15)."""

    unit = models.CharField(max_length=13)

    class Meta:
        indexes = (
            models.Index(fields=["id"], condition=Q(folded=False), name="accounttally_delta"),
            models.Index(fields=["unit"], condition=Q(folded=True), name="accounttally_key"),
        )


class TallyState(models.Model):
    """One row: the time zone the triggers compute local months and days in, a digest of
    their SQL, and when the tallies were last rebuilt and compacted."""

    time_zone = models.CharField(max_length=64)
    definition = models.CharField(max_length=64)  # digest of the trigger SQL installed
    rebuilt_at = models.DateTimeField(null=True)
    compacted_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"tallies ({self.time_zone}, rebuilt {self.rebuilt_at})"


# The national rollups (netral/dashboards/tallies.py ROLLUPS; docs/decisions/0016): for each,
# the keys it keeps (an abstract class), the rollup table the fold keeps (`...Rollup`: a
# tally's folded rows cut to the province, or for the agencies to the whole country) and the
# view a national dashboard reads (`...National`: the rollup plus the tally's unfolded
# deltas, cut the same way; created by migration 0010, not by Django, hence unmanaged).


class _RollupKeys(models.Model):
    unit = models.CharField(max_length=13)  # the province: the region code's first 2 chars

    class Meta:
        abstract = True


class _CaseRollupKeys(_RollupKeys):
    event_id = models.IntegerField()
    month = models.DateField()

    class Meta:
        abstract = True


class _National(models.Model):
    """A view's rows: read only."""

    n = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__}({self.n:+d})"


def _rollup_indexes(name: str, *key: str) -> tuple[models.Index, ...]:
    """The fold's two partial indexes (as on every tally): its deltas, its folded keys."""
    return (
        models.Index(fields=["id"], condition=Q(folded=False), name=f"{name}_delta"),
        models.Index(fields=list(key), condition=Q(folded=True), name=f"{name}_key"),
    )


class _OfficialKeys(_RollupKeys):
    subject_type = models.CharField(max_length=32)
    position_category = models.CharField(max_length=32)

    class Meta:
        abstract = True


class OfficialTallyRollup(_Tally, _OfficialKeys):
    class Meta:
        indexes = _rollup_indexes(
            "officialtallyrollup", "unit", "subject_type", "position_category"
        )


class OfficialTallyNational(_National, _OfficialKeys):
    class Meta:
        managed = False
        db_table = "dashboards_officialtallynational"


class _CaseKeys(_CaseRollupKeys):
    origin = models.CharField(max_length=16)
    status = models.CharField(max_length=32)
    registered = models.BooleanField()

    class Meta:
        abstract = True


class CaseTallyRollup(_Tally, _CaseKeys):
    class Meta:
        indexes = _rollup_indexes("casetallyrollup", "unit", "event_id", "month")


class CaseTallyNational(_National, _CaseKeys):
    class Meta:
        managed = False
        db_table = "dashboards_casetallynational"


class _PersonKeys(_CaseRollupKeys):
    finding = models.CharField(max_length=32)
    subject_type = models.CharField(max_length=32)
    position_category = models.CharField(max_length=32)

    class Meta:
        abstract = True


class PersonTallyRollup(_Tally, _PersonKeys):
    class Meta:
        indexes = _rollup_indexes("persontallyrollup", "unit", "event_id", "month")


class PersonTallyNational(_National, _PersonKeys):
    class Meta:
        managed = False
        db_table = "dashboards_persontallynational"


class _AgencyKeys(models.Model):
    """The whole country and every month: no unit, no month (tallies.ROLLUPS)."""

    event_id = models.IntegerField()
    agency_id = models.IntegerField()
    agency_name = models.CharField(max_length=200)
    proven = models.BooleanField()  # finding TERBUKTI

    class Meta:
        abstract = True


class AgencyTallyRollup(_Tally, _AgencyKeys):
    """The reported persons per agency, event and whether proven (of PersonTally)."""

    class Meta:
        indexes = _rollup_indexes("agencytallyrollup", "event_id", "agency_id")


class AgencyTallyNational(_National, _AgencyKeys):
    class Meta:
        managed = False
        db_table = "dashboards_agencytallynational"


class _AgencyMonthKeys(_AgencyKeys):
    month = models.DateField()

    class Meta:
        abstract = True


class AgencyMonthTallyRollup(_Tally, _AgencyMonthKeys):
    """The reported persons per agency, event, month and whether proven (of PersonTally)."""

    class Meta:
        indexes = (
            *_rollup_indexes("agencymonthtallyrollup", "event_id", "month", "agency_id"),
            # every row, not only the folded ones: what a national view of some months reads
            models.Index(fields=["month"], name="agencymonthtallyrollup_month"),
        )


class AgencyMonthTallyNational(_National, _AgencyMonthKeys):
    class Meta:
        managed = False
        db_table = "dashboards_agencymonthtallynational"


class _CodeKeys(_CaseRollupKeys):
    finding = models.CharField(max_length=32)
    kind = models.CharField(max_length=1)
    code = models.CharField(max_length=64)

    class Meta:
        abstract = True


class CodeTallyRollup(_Tally, _CodeKeys):
    class Meta:
        indexes = _rollup_indexes("codetallyrollup", "unit", "event_id", "month")


class CodeTallyNational(_National, _CodeKeys):
    class Meta:
        managed = False
        db_table = "dashboards_codetallynational"


class _DecisionKeys(_CaseRollupKeys):
    regime = models.CharField(max_length=10)
    received_day = models.DateField(null=True)
    registered_day = models.DateField(null=True)
    extended = models.BooleanField()
    decided_day = models.DateField()

    class Meta:
        abstract = True


class DecisionTallyRollup(_Tally, _DecisionKeys):
    class Meta:
        indexes = _rollup_indexes("decisiontallyrollup", "unit", "event_id", "month")


class DecisionTallyNational(_National, _DecisionKeys):
    class Meta:
        managed = False
        db_table = "dashboards_decisiontallynational"


class _DueKeys(_CaseRollupKeys):
    due_day = models.DateField()

    class Meta:
        abstract = True


class DueTallyRollup(_Tally, _DueKeys):
    class Meta:
        indexes = _rollup_indexes("duetallyrollup", "unit", "event_id", "month")


class DueTallyNational(_National, _DueKeys):
    class Meta:
        managed = False
        db_table = "dashboards_duetallynational"


class AccountTallyRollup(_Tally, _RollupKeys):
    class Meta:
        indexes = _rollup_indexes("accounttallyrollup", "unit")


class AccountTallyNational(_National, _RollupKeys):
    class Meta:
        managed = False
        db_table = "dashboards_accounttallynational"
