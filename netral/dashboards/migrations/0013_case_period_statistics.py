# Statistics on the expressions a dashboard's period filters the cases by (PostgreSQL only;
# netral/dashboards/statistics.py). Nothing changes on SQLite.

from django.db import migrations


def forward(apps, schema_editor):
    from netral.dashboards.statistics import case_period_statistics_create

    case_period_statistics_create(schema_editor.connection, apps.get_model("cases", "Case"))


def backward(apps, schema_editor):
    from netral.dashboards.statistics import case_period_statistics_drop

    case_period_statistics_drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_caseevent_withdrawal_after_forwarding"),
        ("dashboards", "0012_agency_month_rollup"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
