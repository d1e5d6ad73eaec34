"""The tallies count each case's local days and months in its handling unit's zone (WIB, WITA
or WIT by province, issue 12 point 7), no longer in TIME_ZONE: the triggers that bucket in the
server's zone are dropped and the tallies marked stale here, and `tally_ensure` (post_migrate,
at the end of this same migrate) installs the new triggers and recounts every tally.

The recount is left to tally_ensure rather than run here because it runs this code's SQL over
the cases, officials and reported persons as they are at the end of the migrations: here, on
a new database, later migrations of those tables would not have run yet."""

from typing import Any

from django.db import migrations

TABLES = ("cases_case", "cases_reportedperson", "registry_official")
EVENTS = ("insert", "update", "delete")


def drop_triggers_and_mark_stale(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            for event in EVENTS:
                name = f"netral_tally_{table}_{event}"
                if vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                    cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    TallyState = apps.get_model("dashboards", "TallyState")
    TallyState.objects.update(definition="", rebuilt_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0005_tally_folded_through"),
    ]

    operations = [
        migrations.RunPython(
            drop_triggers_and_mark_stale, migrations.RunPython.noop, elidable=False
        ),
    ]
