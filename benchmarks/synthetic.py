"""Synthetic text sources for scale benchmarks, recombined from the samples in inputs/.

Each document is a new arrangement of the samples' paragraphs, in the
wiki-style or the news layout, with its own title, names, places, dates and
figures, so no two are alike and the stages do their real work on each.
Deterministic: document ``i`` is the same for every run and every ``count``.
Documents are written one at a time; none is kept in memory.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "inputs"
NBSP = "\u00a0"
FIRST = ["Anna", "Kenji", "Olga", "Hiroshi", "Maria", "Ivan", "Yuki", "Pavel", "Emiko", "Sergei", "Clara", "Tadashi"]
LAST = ["Sato", "Petrova", "Maruyama", "Volkov", "Tanaka", "Ivanova", "Suzuki", "Morozov", "Kobayashi", "Smirnova"]
PLACES = ["Huludao", "Maoka", "Wakkanai", "Toyohara", "Nakhodka", "Hakodate", "Maizuru", "Sasebo", "Dairen", "Otomari"]
TOPICS = ["Repatriation", "Evacuation", "Internment", "Correspondence", "Shipping records", "Testimony", "Survey"]
SECTIONS = ["Background", "Arrival", "Conditions", "Transport", "Accounts", "Aftermath", "Records"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def sample_paragraphs(folder: Path = SAMPLES) -> list[str]:
    """The samples' running-text paragraphs (no headings, list items or short lines)."""
    paragraphs = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip().lstrip(NBSP)
            if len(line) >= 120 and not line.startswith(("=", "-")):
                paragraphs.append(line)
    return paragraphs


def document(i: int, paragraphs: list[str]) -> str:
    """The text of synthetic document ``i``."""
    rng = random.Random(i)
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    place = rng.choice(PLACES)
    title = f"{rng.choice(TOPICS)} at {place}: the papers of {person} (record {i})"

    def paragraph() -> str:
        date = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(1944, 1956)}"
        lead = f"{rng.choice(FIRST)} {rng.choice(LAST)} wrote from {rng.choice(PLACES)} on {date}."
        body = re.sub(r"\d", lambda _: str(rng.randint(0, 9)), rng.choice(paragraphs))
        return f"{lead} {body}"

    if i % 3 == 2:  # the news layout: a title line, paragraphs opening with a no-break space
        return "\n\n".join([title] + [NBSP + paragraph() for _ in range(rng.randint(6, 12))]) + "\n"
    parts = [f"= {title} =", paragraph()]
    for section in rng.sample(SECTIONS, rng.randint(2, 4)):
        parts.append(f"=={section}==")
        parts.extend(paragraph() for _ in range(rng.randint(1, 4)))
    return "\n\n".join(parts) + "\n"


def generate(out_dir: Path, count: int, paragraphs: list[str] | None = None) -> int:
    """Write documents 0..count-1 as ``doc-NNNNN.txt`` into ``out_dir``; return their total words."""
    paragraphs = paragraphs or sample_paragraphs()
    out_dir.mkdir(parents=True, exist_ok=True)
    words = 0
    for i in range(count):
        text = document(i, paragraphs)
        (out_dir / f"doc-{i:05d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words
