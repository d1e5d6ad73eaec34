"""Extraction rules on short Indonesian texts (no database: the gazetteer is the shipped file)."""

from __future__ import annotations

import datetime as dt

from netral.news.extract import extract_text
from netral.news.extract.gazetteer import load_gazetteer

FILLER = (
    " Kegiatan ini diikuti oleh para peserta dengan tertib dan lancar, serta mendapat dukungan"
    " dari pemerintah daerah dan seluruh unsur yang hadir pada saat itu juga untuk menjaga"
    " suasana yang kondusif dan damai bagi masyarakat."
)


def _extract(text: str, title: str = "Berita", published: dt.date | None = dt.date(2024, 9, 16)):
    return extract_text(text + FILLER, title=title, published=published)


def test_a_day_and_month_without_year_take_the_year_of_publication_and_the_weekday() -> None:
    # when an article published on Monday 16 September 2024 says "Sabtu (14/9)"
    result = _extract(
        "Bawaslu Kabupaten Paser menggelar sosialisasi pada Sabtu (14/9) di Tanah Grogot."
    )
    # then the event date is Saturday 14 September 2024
    assert result.event_date == "2024-09-14"


def test_the_weekday_decides_the_year_around_new_year() -> None:
    # "Jumat (29/12)" in an article of 2 January 2024 is Friday 29 December 2023
    result = _extract(
        "Rakor digelar Jumat (29/12) oleh Bawaslu Kabupaten Berau.", published=dt.date(2024, 1, 2)
    )
    assert result.event_date == "2023-12-29"


def test_no_date_in_the_text_gives_no_event_date() -> None:
    result = _extract(
        "Bawaslu Kabupaten Berau mengingatkan ASN untuk menjaga netralitas selama Pilkada."
    )
    assert result.event_date is None


def test_a_period_or_a_future_date_is_not_taken_as_the_event_date() -> None:
    result = _extract(
        "Bawaslu Kabupaten Berau mengingatkan bahwa masa kampanye berlangsung "
        "hingga 23 November 2024 "
        "dan pemungutan suara pada 27 November 2024 mendatang."
    )
    assert result.event_date is None


def test_regions_are_resolved_by_the_hierarchy_named_around_them() -> None:
    # given a kecamatan named with its regency
    result = _extract(
        "Sosialisasi digelar di Kecamatan Tanjung Redeb Kabupaten Berau "
        "pada Senin, 9 September 2024."
    )
    # then the main region is that kecamatan, its regency follows
    assert result.region_codes[0] == "64.03.05"
    assert "64.03" in result.region_codes


def test_se_kabupaten_makes_the_regency_the_main_region() -> None:
    result = _extract(
        "Deklarasi kepala desa se-Kabupaten Paser digelar di Desa Senaken, Kecamatan Tanah Grogot."
    )
    assert result.region_codes[0] == "64.01"


def test_abbreviations_name_regencies_and_provinces() -> None:
    result = _extract(
        "Bawaslu Kukar menggelar rakor bersama Panwascam se-Kukar di Tenggarong, Kaltim."
    )
    assert result.region_codes[0].startswith("64.02")
    assert "64" in result.region_codes
    result = _extract("Pj Gubernur Kalbar mengingatkan ASN di Kalbar agar netral.")
    assert result.region_codes[0] == "61"


def test_a_desa_name_shared_across_regencies_needs_its_regency_named() -> None:
    gazetteer = load_gazetteer()
    # "Sukamaju" names hundreds of desa: alone it resolves to none of them
    assert len(gazetteer.by_key["sukamaju"]) > 50
    alone = _extract("Kepala Desa Sukamaju hadir dalam acara itu bersama warga.")
    assert not any(c.count(".") == 3 for c in alone.region_codes)


def test_a_desa_name_duplicated_within_one_kecamatan_is_left_at_the_kecamatan() -> None:
    # "Sorkam Kanan" names two desa of Kecamatan Sorkam Barat (12.01.10)
    gazetteer = load_gazetteer()
    codes = [c for c in gazetteer.by_key["sorkam kanan"] if c.startswith("12.01.10.")]
    assert len(codes) == 2
    result = _extract(
        "Kepala Desa Sorkam Kanan di Kecamatan Sorkam Barat, Kabupaten Tapanuli Tengah, dilaporkan "
        "ke Bawaslu karena diduga ikut kampanye."
    )
    assert result.region_codes[0] in ("12.01.10", *codes)
    assert result.region_codes[0].startswith("12.01.10")


def test_kinds_counts_people_institutions_and_election() -> None:
    result = _extract(
        "Badan Kesbangpol Kabupaten Paser menggelar sosialisasi netralitas ASN untuk 403 ASN dan "
        "57 desa pada Rabu (11/9). Pj Bupati Paser Fahmi Fadli membuka acara bersama Kapolres "
        "Paser dan Ketua KPU Paser. Kegiatan menjelang Pilkada Serentak 2024."
    )
    assert result.event_kinds == ["SOSIALISASI"]
    assert {"value": 403, "unit": "ASN"} in result.counts
    assert {"value": 57, "unit": "desa"} in result.counts
    assert {"name": "Fahmi Fadli", "position": "Pj Bupati Paser"} in result.people
    assert {"KESBANGPOL", "POLRES", "KPU"} <= set(result.institutions)
    assert result.election == {"regime": "PILKADA", "year": 2024}
    assert result.leads == []


def test_a_reported_violation_becomes_a_lead_with_the_official_named() -> None:
    result = _extract(
        "Kepala Desa Wanasari, Kecamatan Muara Wahau, Kabupaten Kutai Timur, dilaporkan ke Bawaslu "
        "karena diduga mengunggah dukungan kepada pasangan calon di media sosial. Kades Wanasari "
        "Joko Susilo membantah. Pilkada 2024."
    )
    assert "MEDSOS" in result.event_kinds
    assert result.leads
    assert result.leads[0]["kinds"] == ["MEDSOS"]


def test_a_warning_is_not_a_lead() -> None:
    result = _extract(
        "Bawaslu Kabupaten Berau mengimbau ASN agar tidak ikut kampanye di media sosial."
    )
    assert result.leads == []


def test_a_page_that_is_not_an_article_and_another_language_are_flagged() -> None:
    short = extract_text("Beranda | Kontak | Masuk", title="Menu")
    assert short.problems == ["not_article"]
    english = extract_text(
        "The regional election supervisory board held a meeting with the village heads of the "
        "regency to remind them of their duty to remain neutral during the campaign period of the "
        "regional elections, the board's chairman said on Saturday, adding that reports would be "
        "examined quickly and that officials who campaign would face sanctions under the law.",
        title="Village heads reminded",
    )
    assert english.problems == ["not_indonesian"]
    assert english.region_codes == []
    assert english.event_kinds == []


def test_extraction_takes_well_under_a_second_per_article() -> None:
    import time

    load_gazetteer()
    text = "Bawaslu Kabupaten Paser menggelar sosialisasi pada Sabtu (14/9) di Tanah Grogot. " * 40
    start = time.perf_counter()
    _extract(text)
    assert time.perf_counter() - start < 1.0
