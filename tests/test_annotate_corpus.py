"""The annotation measured on the samples' gold (tests/gold) and on unseen documents of the same kinds."""
from collections import Counter
from pathlib import Path

import pytest

from tests.annotate_helpers import annotated

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold"
CORPUS = REPO / "inputs"
GROUPS = {"names": {"person", "place", "org", "vessel"}, "dates": {"date"}, "figures": {"num", "measure"}}


def _norm(attrs: dict) -> str:
    order = ("when", "from", "to", "value", "quantity", "unit")
    return ";".join(f"{k}={attrs[k]}" for k in order if k in attrs)


def _items(doc):
    return [(s.kind, " ".join(b.text[s.start:s.end].split()), _norm(s.attrs))
            for b in doc.blocks for s in b.spans]


def _f1(pred, gold, kinds):
    p = Counter((k, t) for k, t, _ in pred if k in kinds)
    g = Counter((k, t) for k, t, _ in gold if k in kinds)
    tp = sum((p & g).values())
    return 2 * tp / (sum(p.values()) + sum(g.values())) if p or g else 1.0


def _gold(text: str):
    rows = []
    for line in text.strip().splitlines():
        kind, span, norm = (line.split("|") + [""])[:3]
        rows.append((kind.strip(), span.strip(), norm.strip()))
    return rows


@pytest.mark.parametrize("group,target", [("names", 0.92), ("dates", 0.95), ("figures", 0.95)])
def test_samples_gold_reaches_the_targets(group, target):
    pred, gold = [], []
    for path in sorted(CORPUS.glob("*.txt")):
        pred += _items(annotated(path.read_text(encoding="utf-8"), path.stem))
        for line in (GOLD / f"{path.stem}.tsv").read_text(encoding="utf-8").splitlines():
            kind, span, norm = (line.split("\t") + ["", ""])[:3]
            gold.append((kind, " ".join(span.split()), norm))
    assert _f1(pred, gold, GROUPS[group]) >= target


# Unseen documents written for these tests, gold by ENCODING.md.
NEWS = """Former POWs recall Siberian camps

 TOKYO — About 200 former detainees gathered in Tokyo on Saturday to mark the 70th anniversary of their return from the Soviet Union. Many were held for up to 11 years near Lake Baikal.

 "We worked in minus 40 degrees Celsius," said Sadao Ikeda, 94, who was captured in Manchuria in August 1945 and repatriated aboard the Koan Maru in December 1956. Ikeda, a native of Niigata Prefecture, was one of roughly 2,000 survivors.

 Prime Minister Shinzo Abe sent a message. According to the Ministry of Health, Labor and Welfare, about 55,000 died. Twenty-five families came from Hokkaido.
"""
NEWS_GOLD = """
place|TOKYO
num|200|value=200
place|Tokyo
place|Soviet Union
num|11|value=11
place|Lake Baikal
measure|minus 40 degrees Celsius|quantity=-40;unit=Cel
person|Sadao Ikeda
num|94|value=94
place|Manchuria
date|August 1945|when=1945-08
vessel|Koan Maru
date|December 1956|when=1956-12
person|Ikeda
place|Niigata Prefecture
num|2,000|value=2000
person|Shinzo Abe
org|Ministry of Health, Labor and Welfare
num|55,000|value=55000
num|Twenty-five|value=25
place|Hokkaido
"""
REPORT = """= Report on the Repatriation of Japanese Nationals from Korea =

1. Repatriation from Korea south of the 38th parallel began on 15 September 1945 and was completed by 31 December 1945.1 About 597,000 civilians were shipped from Pusan to Hakata and Senzaki.2

2. Shipping was furnished by the Japanese Ministry of Transportation and the United States Navy. The Kongo Maru carried 2,500 passengers. The XXIV Corps, under Lieutenant General John R. Hodge, held 3,000 tons of rice. Typhoid affected 12 percent of the camp on 20 October.3

==Notes==
- 1. GHQ, SCAP, Summation No. 3, December 1945, p. 14.
- 2. Report of the Surgeon, XXIV Corps, 5 Nov 45.
"""
REPORT_GOLD = """
place|Korea
place|Korea
date|15 September 1945|when=1945-09-15
date|31 December 1945|when=1945-12-31
num|597,000|value=597000
place|Pusan
place|Hakata
place|Senzaki
org|Ministry of Transportation
org|United States Navy
vessel|Kongo Maru
num|2,500|value=2500
org|XXIV Corps
person|John R. Hodge
measure|3,000 tons|quantity=3000;unit=t
measure|12 percent|quantity=12;unit=percent
date|20 October|when=1945-10-20
org|GHQ
org|SCAP
date|December 1945|when=1945-12
org|XXIV Corps
date|5 Nov 45|when=1945-11-05
"""
ENCYCLOPEDIA = """= Battle of Okinawa =

The Battle of Okinawa, codenamed Operation Iceberg, was fought on Okinawa by the United States Army against the Imperial Japanese Army from April 1 to June 22, 1945. Lieutenant General Mitsuru Ushijima led the Japanese 32nd Army from Shuri Castle. The battleship Yamato was sunk on April 7 in the East China Sea. In the 1930s Japan had annexed Manchuria. Over 12,500 Americans were killed; the island lies 340 miles south of Kyushu.
"""
ENCYCLOPEDIA_GOLD = """
place|Okinawa
place|Okinawa
place|Okinawa
org|United States Army
org|Imperial Japanese Army
date|April 1 to June 22, 1945|from=1945-04-01;to=1945-06-22
person|Mitsuru Ushijima
org|32nd Army
place|Shuri Castle
vessel|Yamato
date|April 7|when=1945-04-07
place|East China Sea
date|1930s|from=1930;to=1939
place|Japan
place|Manchuria
num|12,500|value=12500
measure|340 miles|quantity=340;unit=mi
place|Kyushu
"""
MILITARY = """1 Jul 49: 7th Inf Div relieved at Kumamoto. Strength 12,450.

Apr 47: Regt moved from Sendai to Camp Zama; 3 officers hospitalized. Col. James Smith assumed command 2 Oct 50. Temperature fell to minus 20 F on 28 Nov 50.
"""
MILITARY_GOLD = """
date|1 Jul 49|when=1949-07-01
org|7th Inf Div
place|Kumamoto
num|12,450|value=12450
date|Apr 47|when=1947-04
place|Sendai
place|Camp Zama
num|3|value=3
person|James Smith
date|2 Oct 50|when=1950-10-02
measure|minus 20 F|quantity=-20;unit=degF
date|28 Nov 50|when=1950-11-28
"""
UNSEEN = [(NEWS, NEWS_GOLD), (REPORT, REPORT_GOLD), (ENCYCLOPEDIA, ENCYCLOPEDIA_GOLD), (MILITARY, MILITARY_GOLD)]


@pytest.mark.parametrize("group,target", [("names", 0.80), ("dates", 0.90), ("figures", 0.90)])
def test_unseen_documents_reach_the_generalization_targets(group, target):
    pred, gold = [], []
    for text, rows in UNSEEN:
        pred += _items(annotated(text))
        gold += _gold(rows)
    assert _f1(pred, gold, GROUPS[group]) >= target


def test_unseen_normalizations_are_right():
    for text, rows in UNSEEN:
        pred = {(k, t): n for k, t, n in _items(annotated(text)) if k not in GROUPS["names"]}
        for kind, span, norm in _gold(rows):
            if kind not in GROUPS["names"] and (kind, span) in pred:
                assert pred[(kind, span)] == norm, span
