"""Seed the SKB 2022 matrix (DOMAIN §3, Lampiran II): the level each code carries and the
target status it is worded for. Data only; editable in the admin (DS08, DS09 in CONFLICT)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

C, U = "CONFIRMED", "UNCONFIRMED"
SKB = "SKB 2022 Lampiran II"
MORAL = ("MORAL", "BAKAL_CALON", f"{SKB} A (kode etik); PP 42/2004 Ps. 15", C, "")
ROWS: dict[str, tuple[str, str, str, str, str]] = {
    **{f"KE0{i}": MORAL for i in range(1, 8)},
    "DS01": ("BERAT", "CALON", f"{SKB} B", C, ""),
    "DS02": ("BERAT", "CALON", f"{SKB} B", C, ""),
    "DS03": ("SEDANG", "BAKAL_CALON", f"{SKB} B", C, ""),
    "DS04": ("BERAT", "CALON", f"{SKB} B", C, ""),
    "DS05": ("BERAT", "CALON", f"{SKB} B (PTDH)", C, "Sanksi: pemberhentian tidak dengan hormat."),
    "DS06": ("BERAT", "CALON", f"{SKB} B", C, ""),
    "DS07": ("BERAT", "CALON", f"{SKB} B", C, ""),
    "DS08": ("SEDANG", "CALON", f"{SKB} B", U, "CONFLICT: SEDANG [S23] vs BERAT [S27]."),
    "DS09": ("SEDANG", "BAKAL_CALON", f"{SKB} B", U, "CONFLICT kecil: satu sumber BERAT [S23]."),
    "DS10": ("BERAT", "CALON", f"{SKB} B", C, ""),
    "DS11": ("BERAT", "BAKAL_CALON", f"{SKB} B", C, ""),
    "DS12": ("BERAT", "CALON", f"{SKB} B", C, ""),
    "DS13": ("", "CALON", f"{SKB} B", C, "Diputus Satgas kasus per kasus."),
}


def seed(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("cases", "SkbSanctionLevel")
    for code, (level, target, basis, confidence, note) in ROWS.items():
        model.objects.update_or_create(
            code=code,
            defaults={
                "level": level,
                "target_status": target,
                "legal_basis": basis,
                "confidence": confidence,
                "note": note,
            },
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("cases", "SkbSanctionLevel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_skb_sanction_level")]
    operations = [migrations.RunPython(seed, unseed)]
