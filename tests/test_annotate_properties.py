"""Annotators are total: any Unicode text gives valid, sorted, non-overlapping spans."""
import re

from hypothesis import given, settings, strategies as st

from pipeline.annotate import annotate
from pipeline.config import Settings
from pipeline.model import Block, Document, SourceInfo

SOURCE = SourceInfo(path="x", name="x.txt", stem="x", kind="text", media_type="text/plain", size=0, sha256="0" * 64)
ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?|--\d{2}(-\d{2})?")
# Text made of the pieces annotators react to, so that the rules are exercised, plus any Unicode.
PIECES = st.sampled_from([
    "August", "9", "1945", "–", "to", ",", " ", ".", "Port", "Maru", "General", "Japan", "Soviet", "minus",
    "50", "C", "%", "million", "twenty-five", "one", "(now", ")", "No.2", "L-12", "’s", "Jul", "49", "\u00a0",
    "Sea", "of", "Okhotsk", "the", "Manchurla", "1930s", "31", "February", "Kunio", "Maruyama", "and",
])
TEXTS = st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=40).map(" ".join),
                  st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["head", "p", "item", "bibl"]), TEXTS), min_size=1, max_size=4))
def test_annotate_is_total_and_spans_are_valid(blocks):
    doc = Document(source=SOURCE, title="x", blocks=[Block(kind, text) for kind, text in blocks])
    annotate(doc, Settings())
    ids = {e.id for e in doc.entities}
    for block in doc.blocks:
        end = 0
        for s in block.spans:
            assert end <= s.start < s.end <= len(block.text)
            end = s.end
            if s.kind == "date":
                for key in ("when", "from", "to"):
                    if key in s.attrs:
                        assert ISO.fullmatch(s.attrs[key]), s.attrs
            elif s.kind == "num":
                float(s.attrs["value"])
            elif s.kind == "measure":
                float(s.attrs["quantity"])
            else:
                assert s.attrs["ref"] in ids
    for e in doc.entities:
        assert re.fullmatch(r"[A-Za-z_][\w.\-]*", e.id)
