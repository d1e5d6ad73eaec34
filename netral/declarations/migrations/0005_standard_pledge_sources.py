"""Name the source of each standard pledge text (issue 12 point 16; DOMAIN §9). The 6-point
"Deklarasi Pemilihan Damai" has no recorded source: it stays blank, so it is shown as an
example for officers to adapt, not as a standard."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SOURCES = {
    "ikrar-netralitas-asn-desa": (
        "Isi baku Ikrar Netralitas ASN empat butir yang dibacakan ASN di berbagai daerah "
        "(pemberitaan pemerintah daerah 2023-2024)"
    ),
    "ikrar-netralitas-pilkada": (
        "Ikrar netralitas ASN, TNI, Polri, camat, lurah dan kepala desa yang difasilitasi "
        "Bawaslu Kotawaringin Barat, 22 September 2024 (Pilkada 2024)"
    ),
}


def name_sources(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("declarations", "PledgeTemplate")
    for slug, source in SOURCES.items():
        model.objects.filter(slug=slug, source="").update(source=source)


class Migration(migrations.Migration):
    dependencies = [("declarations", "0004_pledge_template_source")]
    operations = [migrations.RunPython(name_sources, migrations.RunPython.noop)]
