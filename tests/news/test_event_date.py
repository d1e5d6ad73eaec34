"""The event date: taken only when the article ties it to the reported event, else empty.

Short synthetic Indonesian sentences, one per rule of netral/news/extract/rules.py
(`date_reason`, `event_date`). Every article here is published on Monday 16 September 2024
unless said otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest

from netral.news.extract import extract_text
from netral.news.extract.rules import event_date

MONDAY = dt.date(2024, 9, 16)


def _date(text: str, published: dt.date | None = MONDAY) -> str | None:
    found = event_date(text, published)
    return found.isoformat() if found else None


def test_the_date_of_an_event_named_in_its_sentence_is_taken() -> None:
    assert _date(
        "Bawaslu Kabupaten Berau menggelar sosialisasi di Tanjung Redeb, Senin (9/9)."
    ) == ("2024-09-09")


def test_the_event_may_be_named_after_the_date() -> None:
    assert _date("Senin (9/9), Bawaslu Kabupaten Berau menggelar sosialisasi netralitas ASN.") == (
        "2024-09-09"
    )


def test_a_date_in_a_sentence_naming_no_event_is_left_empty() -> None:
    assert _date("Pada Senin (9/9), cuaca di Tanjung Redeb cerah sepanjang hari.") is None
    # a word of the election after the date names no event held that day
    assert _date("Kamis (12/9), ASN tetap dilarang ikut kampanye pasangan calon.") is None


@pytest.mark.parametrize(
    "text",
    [
        # the speaker, the date, then the verb of speaking
        "Ketua Bawaslu Berau, Budi Santoso, Kamis (12/9), mengingatkan ASN agar tetap netral.",
        "Camat Tanjung Redeb, Andi, Kamis (12/9) sore, mengimbau kepala desa tidak berkampanye.",
        # a quotation closed, then its speaker and the day he spoke
        '"ASN wajib netral dan tidak boleh memihak," ujar Budi kepada wartawan di kantornya, '
        "Kamis (12/9).",
        "Kepala desa dilarang memihak, imbuhnya saat dihubungi, Kamis (12/9).",
        "Hal itu ditegaskan Ketua Bawaslu Berau dalam keterangan tertulisnya, Kamis (12/9).",
        # a few words between the date and the verb
        "Usai apel, Ketua Bawaslu Berau, Budi, Kamis (12/9), dalam keterangannya mengatakan "
        "ASN harus netral.",
        "Menurut Ketua Bawaslu Berau melalui sambungan telepon, Kamis (12/9), ASN harus netral.",
    ],
)
def test_the_day_someone_spoke_is_not_the_event_date(text: str) -> None:
    assert _date(text) is None


def test_a_statement_made_at_the_event_keeps_the_event_date() -> None:
    text = (
        "Hal itu disampaikan Camat Tanjung Redeb usai memimpin apel di halaman kantor camat, "
        "Senin (9/9)."
    )
    assert _date(text) == "2024-09-09"


def test_speaking_joined_to_the_event_keeps_the_event_date() -> None:
    text = (
        "Bupati Berau membuka sosialisasi netralitas di Aula Bappeda, Senin (9/9), dan meminta "
        "ASN menjaga netralitas."
    )
    assert _date(text) == "2024-09-09"


def test_two_different_event_dates_make_the_article_ambiguous() -> None:
    text = (
        "Bawaslu Kabupaten Paser menggelar sosialisasi di Tanah Grogot pada Senin (9/9). "
        "Sosialisasi serupa digelar di Long Ikis pada Rabu (11/9)."
    )
    assert _date(text) is None


def test_the_same_date_written_twice_is_not_ambiguous() -> None:
    text = (
        "Bawaslu Kabupaten Paser menggelar sosialisasi pada Senin (9/9). "
        "Sosialisasi yang digelar Senin, 9 September 2024 itu diikuti camat."
    )
    assert _date(text) == "2024-09-09"


def test_a_dated_event_wins_over_an_undated_weekday_less_mention() -> None:
    # the weekday is how regional news dates the event it reports
    text = (
        "Bupati memimpin apel netralitas di halaman kantor bupati, Senin (9/9). "
        "Apel itu menyusul rapat koordinasi pada 2 September 2024."
    )
    assert _date(text) == "2024-09-09"


def test_a_weekday_that_contradicts_the_day_and_month_gives_no_date() -> None:
    # 14 September is a Saturday in 2024, a Thursday in 2023 and a Sunday in 2025
    assert _date("Bawaslu Kabupaten Berau menggelar rakor pada Selasa (14/9).") is None
    # with the year written, the weekday still has to agree (14/9/2024 is a Saturday)
    assert _date("Bawaslu Kabupaten Berau menggelar rakor pada Jumat (14/9/2024).") is None


def test_a_dateline_or_a_publication_stamp_is_not_the_event_date() -> None:
    assert (
        _date(
            "TANJUNG REDEB, Senin (16/9/2024) - Bawaslu Kabupaten Berau mengingatkan ASN agar "
            "menjaga netralitas selama Pilkada."
        )
        is None
    )
    assert (
        _date(
            "Diperbarui Senin, 16 September 2024 10:15 WIB\n"
            "Bawaslu Kabupaten Berau mengimbau kepala desa menjaga netralitas."
        )
        is None
    )


def test_a_dateline_does_not_hide_the_event_date_in_the_lead() -> None:
    text = (
        "TANJUNG REDEB, Senin (16/9/2024) - Bawaslu Kabupaten Berau menggelar sosialisasi "
        "netralitas ASN di Aula Bappeda, Sabtu (14/9)."
    )
    assert _date(text) == "2024-09-14"


def test_the_day_of_an_election_named_is_not_the_event_date() -> None:
    # published the day after the vote, so that the date is not merely in the future
    after_the_vote = dt.date(2024, 11, 28)
    text = "Menjelang Pilkada serentak 27 November 2024, Bawaslu menggelar apel siaga."
    assert _date(text, after_the_vote) is None
    text = "Pemungutan suara Pilkada yang digelar pada Rabu (27/11/2024) berjalan lancar."
    assert _date(text, after_the_vote) is None
    # a national voting day in a sentence about the vote
    text = "Bawaslu menggelar patroli pengawasan pada hari pencoblosan, Rabu (27/11/2024)."
    assert _date(text, after_the_vote) is None


def test_an_event_held_for_an_election_keeps_its_own_date() -> None:
    text = "Kesbangpol Kabupaten Berau menggelar sosialisasi untuk Pilkada 2024 pada Jumat (13/9)."
    assert _date(text) == "2024-09-13"


def test_a_past_event_mentioned_is_not_the_event_date() -> None:
    assert _date("Sebelumnya, Bawaslu juga menggelar sosialisasi serupa pada Senin (2/9).") is None
    # more than a month before publication: background, not the news
    assert _date("Bawaslu Kabupaten Berau menggelar sosialisasi pada 5 Juni 2024.") is None


def test_the_date_of_a_document_is_not_the_event_date() -> None:
    text = (
        "Sosialisasi ini menindaklanjuti Surat Edaran Bupati Berau Nomor 100 tertanggal "
        "10 September 2024."
    )
    assert _date(text) is None


def test_a_planned_event_is_not_dated_before_it_happens() -> None:
    assert _date("Deklarasi netralitas kepala desa akan digelar pada Sabtu (21/9).") is None
    # without a publication date, the words of the future are enough
    text = "Deklarasi netralitas kepala desa akan digelar pada Sabtu, 21 September 2024."
    assert _date(text, None) is None
    text = "Deklarasi netralitas kepala desa digelar pada Sabtu, 14 September 2024."
    assert _date(text, None) == "2024-09-14"


def test_abbreviated_titles_do_not_cut_the_sentence_from_its_event() -> None:
    text = "Sosialisasi dibuka oleh Bupati Berau Drs. H. Sri Juniarsih, Senin (9/9)."
    assert _date(text) == "2024-09-09"


def test_the_whole_pipeline_leaves_a_statement_date_empty() -> None:
    result = extract_text(
        "Ketua Bawaslu Kabupaten Berau, Budi Santoso, Kamis (12/9), mengingatkan ASN agar "
        "tetap netral selama Pilkada 2024.",
        title="Bawaslu ingatkan ASN",
        published=MONDAY,
    )
    assert result.event_date is None


def test_se_kabupaten_is_not_a_circular_letter() -> None:
    # "SE" (surat edaran) dates a document; "se-Kabupaten" is a place, not a document
    text = "Bawaslu menggelar deklarasi kepala desa se-Kabupaten Berau pada Sabtu (14/9)."
    assert _date(text) == "2024-09-14"


def test_a_pasted_text_wrapped_inside_its_sentences_keeps_the_event_in_the_sentence() -> None:
    text = (
        "Bawaslu Kabupaten Berau menggelar sosialisasi\nnetralitas ASN pada Sabtu (14/9) di "
        "Tanjung Redeb.\nSebanyak 40 ASN hadir."
    )
    assert _date(text) == "2024-09-14"
