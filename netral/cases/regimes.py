"""What each election regime's documents cite and call things (DOMAIN §0, §1.1).

PEMILU: UU 7/2017 + Perbawaslu 7/2022. PILKADA: UU 1/2015 jo. UU 10/2016 + Perbawaslu 8/2020
as amended by Perbawaslu 9/2024. Every basis printed on a Pilkada letter, receipt or timeline
entry comes from the Pilkada column (issue 12 point 9); where DOMAIN gives no Pilkada article,
the regulation is cited without one rather than borrowing the Pemilu article.
"""

from __future__ import annotations

from dataclasses import dataclass

from netral.elections.models import Regime


@dataclass(frozen=True)
class RegimeText:
    election: str  # "Pemilu" / "Pemilihan", as in "tindak pidana {election}"
    procedure: str  # the procedural regulation, in full
    procedure_short: str
    statute: str
    kecamatan_unit: str  # the ad hoc kecamatan supervisor's name in this regime
    invitation_form: str  # the clarification invitation's form
    receipt_basis: str  # legal receipt by the competent supervisor
    pelimpahan_basis: str


TEXTS: dict[str, RegimeText] = {
    Regime.PEMILU: RegimeText(
        election="Pemilu",
        procedure="Peraturan Badan Pengawas Pemilihan Umum Nomor 7 Tahun 2022",
        procedure_short="Perbawaslu 7/2022",
        statute="UU 7/2017",
        kecamatan_unit="Panitia Pengawas Pemilihan Umum Kecamatan",
        invitation_form="Formulir Model B.9, Perbawaslu 7/2022",
        receipt_basis="Perbawaslu 7/2022 Ps. 10",
        pelimpahan_basis="Perbawaslu 7/2022 Ps. 20",
    ),
    Regime.PILKADA: RegimeText(
        election="Pemilihan",
        procedure=(
            "Peraturan Badan Pengawas Pemilihan Umum Nomor 8 Tahun 2020 sebagaimana diubah "
            "dengan Peraturan Badan Pengawas Pemilihan Umum Nomor 9 Tahun 2024"
        ),
        procedure_short="Perbawaslu 8/2020 jo. Perbawaslu 9/2024",
        statute="UU 1/2015 jo. UU 10/2016",
        # UU 1/2015 jo. UU 10/2016 Ps. 1: "Panitia Pengawas Pemilihan Kecamatan".
        kecamatan_unit="Panitia Pengawas Pemilihan Kecamatan",
        invitation_form="Perbawaslu 8/2020 jo. Perbawaslu 9/2024",
        receipt_basis="Perpu 1/2014 Ps. 134(1),(2) jo. UU 10/2016",
        pelimpahan_basis="Perbawaslu 8/2020 jo. Perbawaslu 9/2024",
    ),
}


def regime_text(regime: str) -> RegimeText:
    return TEXTS[Regime(regime)]
