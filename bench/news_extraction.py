"""Quality and speed of news extraction on the labelled set (issue 17, point 5).

bench/news/articles.jsonl holds 65 Indonesian regional news articles (reworded summaries, see
bench/news/README.md) labelled by hand and split into a development half (tuned on) and a
held-out half (only measured). Each article is wrapped in a minimal HTML page with its
publication date in the usual meta tag, so the full pipeline runs: trafilatura, htmldate,
then the rules. Printed: precision, recall and F1 per field for the extractor and for the
baseline (publication date as event date; gazetteer-only regions: first candidate of every
name, no hierarchy), and the time per article against the 1 s budget.

    python -m bench news_extraction [--split heldout|dev|all]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "news" / "articles.jsonl"
BUDGET_SECONDS = 1.0


def load(split: str) -> list[dict[str, Any]]:
    rows = [
        json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return rows if split == "all" else [r for r in rows if r["split"] == split]


def as_html(row: dict[str, Any]) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in row["text"].split("\n") if p.strip())
    title = html.escape(row["title"])
    return (
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{row["published_date"]}T07:00:00+07:00">'
        f"</head><body><nav><a href='/'>Beranda</a> | <a href='/politik'>Politik</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>Redaksi</footer></body></html>"
    )


class PR:
    def __init__(self) -> None:
        self.tp = 0
        self.fp = 0
        self.fn = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def row(self) -> tuple[str, str, str]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")
        f = 2 * p * r / (p + r) if p + r and p == p and r == r else float("nan")
        return f"{p:.2f}", f"{r:.2f}", f"{f:.2f}"


def _norm_person(name: str) -> str:
    name = re.sub(
        r"\b(H|Hj|Ir|Dr|Drs|KH|AKBP|AKP|Kompol|Iptu|Ipda|Aiptu|Kombes|Pol|Irjen|Mayjen|TNI)\b\.?",
        "",
        name,
    )
    return " ".join(name.lower().replace(".", " ").split())


def people_match(pred: list[dict[str, str]], gold: list[dict[str, str]]) -> tuple[int, int, int]:
    from rapidfuzz import fuzz

    used: set[int] = set()
    tp = 0
    for p in pred:
        for i, g in enumerate(gold):
            if i in used:
                continue
            if fuzz.token_set_ratio(_norm_person(p["name"]), _norm_person(g["name"])) >= 85 and (
                fuzz.token_set_ratio(p["position"].lower(), g["position"].lower()) >= 80
            ):
                used.add(i)
                tp += 1
                break
    return tp, len(pred) - tp, len(gold) - tp


def set_match(pred: set[Any], gold: set[Any]) -> tuple[int, int, int]:
    return len(pred & gold), len(pred - gold), len(gold - pred)


def baseline(row: dict[str, Any]) -> dict[str, Any]:
    """Publication date as event date; every capitalised gazetteer name, first candidate."""
    from netral.news.extract.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    mentions = gazetteer.find(row["title"] + "\n" + row["text"])
    kabs: Counter[str] = Counter()
    codes = []
    for m in mentions:
        code = m.candidates[0]
        codes.append(code)
        if code.count(".") >= 1:
            kabs[".".join(code.split(".")[:2])] += 1
    main = kabs.most_common(1)[0][0] if kabs else (codes[0] if codes else None)
    return {"event_date": row["published_date"], "region_codes": [main] if main else []}


def evaluate(
    rows: list[dict[str, Any]], predict: Any
) -> tuple[dict[str, PR], list[float], list[str]]:
    fields = {k: PR() for k in (
        "main kabupaten/kota", "main kecamatan (when named)", "province (province-level articles)",
        "event date (exact)", "event kinds", "counts", "people with positions", "institutions",
        "election", "lead (violation)", "quoted points",
    )}  # fmt: skip
    times: list[float] = []
    invented: list[str] = []
    for row in rows:
        start = time.perf_counter()
        out = predict(row)
        times.append(time.perf_counter() - start)
        gold = row["labels"]
        main = out["region_codes"][0] if out.get("region_codes") else None
        kab = ".".join(main.split(".")[:2]) if main and main.count(".") >= 1 else None
        if gold["kabkota"]:
            fields["main kabupaten/kota"].add(
                int(kab == gold["kabkota"]),
                int(kab is not None and kab != gold["kabkota"]),
                int(kab != gold["kabkota"]),
            )
        elif kab is not None:
            fields["main kabupaten/kota"].add(0, 1, 0)
        if gold["kecamatan"]:
            ok = bool(
                main and (main == gold["kecamatan"] or main.startswith(gold["kecamatan"] + "."))
            )
            at_kec = bool(main and main.count(".") >= 2)
            fields["main kecamatan (when named)"].add(int(ok), int(at_kec and not ok), int(not ok))
        if not gold["kabkota"] and gold["provinsi"]:
            prov = main.split(".")[0] if main else None
            fields["province (province-level articles)"].add(
                int(prov == gold["provinsi"] and kab is None),
                int(main is not None and not (prov == gold["provinsi"] and kab is None)),
                int(not (prov == gold["provinsi"] and kab is None)),
            )
        pd, gd = out.get("event_date"), gold["event_date"]
        fields["event date (exact)"].add(
            int(pd is not None and pd == gd),
            int(pd is not None and pd != gd),
            int(gd is not None and pd != gd),
        )
        if pd is not None and gd is None:
            invented.append(row["id"])
        if "event_kinds" in out:
            fields["event kinds"].add(*set_match(set(out["event_kinds"]), set(gold["event_kinds"])))
            fields["counts"].add(
                *set_match(
                    {(c["value"], c["unit"].lower()) for c in out["counts"]},
                    {(c["value"], c["unit"].lower()) for c in gold["counts"]},
                )
            )
            fields["people with positions"].add(*people_match(out["people"], gold["people"]))
            fields["institutions"].add(
                *set_match(set(out["institutions"]), set(gold["institutions"]))
            )
            pe, ge = out["election"], gold["election"]
            fields["election"].add(
                int(pe is not None and pe == ge),
                int(pe is not None and pe != ge),
                int(ge is not None and pe != ge),
            )
            pl, gl = bool(out["leads"]), bool(gold["lead"])
            fields["lead (violation)"].add(int(pl and gl), int(pl and not gl), int(gl and not pl))
            n_pred, n_gold = len(out["quoted_points"]), int(gold["quoted_points"])
            fields["quoted points"].add(
                min(n_pred, n_gold), max(0, n_pred - n_gold), max(0, n_gold - n_pred)
            )
    return fields, times, invented


def run(args: argparse.Namespace, rest: list[str]) -> None:
    import django

    django.setup()
    from netral.news.extract import extract_html
    from netral.news.extract.gazetteer import load_gazetteer

    parser = argparse.ArgumentParser(prog="python -m bench news_extraction")
    parser.add_argument("--split", default="heldout", choices=["heldout", "dev", "all"])
    parser.add_argument(
        "--errors", action="store_true", help="print each article's misses (dev only)"
    )
    opts, _ = parser.parse_known_args(rest)
    if opts.errors and opts.split != "dev":
        raise SystemExit("--errors is for the development half only (do not tune on held-out)")
    rows = load(opts.split)
    start = time.perf_counter()
    load_gazetteer()
    load_seconds = time.perf_counter() - start

    def extractor(row: dict[str, Any]) -> dict[str, Any]:
        return extract_html(as_html(row)).as_json()

    import trafilatura

    floor_times = []
    for row in rows:
        t = time.perf_counter()
        trafilatura.extract(as_html(row))
        floor_times.append(time.perf_counter() - t)

    ours, times, invented = evaluate(rows, extractor)
    base, _, base_invented = evaluate(rows, baseline)
    print(f"split={opts.split} articles={len(rows)} (bench/news/articles.jsonl)")
    print(f"gazetteer build (once per process): {load_seconds:.2f} s over 91,599 regions")
    print(
        f"time per article: mean {statistics.mean(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms "
        f"(budget {BUDGET_SECONDS * 1000:.0f} ms; trafilatura alone, same pages: mean "
        f"{statistics.mean(floor_times) * 1000:.0f} ms)"
    )
    print()
    print("| field | extractor P | R | F1 | baseline P | R | F1 |")
    print("|---|---|---|---|---|---|---|")
    for name, pr in ours.items():
        b = base[name]
        has_base = name in (
            "main kabupaten/kota",
            "main kecamatan (when named)",
            "province (province-level articles)",
            "event date (exact)",
        )
        brow = b.row() if has_base else ("-", "-", "-")
        print(f"| {name} | {' | '.join(pr.row())} | {' | '.join(brow)} |")
    print()
    print(
        "invented event dates (a date where the article gives none): "
        f"extractor {len(invented)} {invented}; baseline {len(base_invented)}"
    )
    if opts.errors:
        for row in rows:
            out = extractor(row)
            g = row["labels"]
            print(f"\n{row['id']} {row['title'][:70]}")
            print(
                f"  region {out['region_codes'][:3]} gold kab={g['kabkota']} "
                f"kec={g['kecamatan']} prov={g['provinsi']}"
            )
            print(
                f"  date {out['event_date']} gold {g['event_date']}; "
                f"kinds {out['event_kinds']} gold {g['event_kinds']}"
            )
            print(
                f"  counts {[(c['value'], c['unit']) for c in out['counts']]} "
                f"gold {[(c['value'], c['unit']) for c in g['counts']]}"
            )
            print(f"  people {[(p['name'], p['position']) for p in out['people']]}")
            print(f"   gold  {[(p['name'], p['position']) for p in g['people']]}")
            print(
                f"  inst {out['institutions']} gold {g['institutions']}; "
                f"election {out['election']} gold {g['election']}; "
                f"lead {bool(out['leads'])} gold {g['lead']}"
            )
