"""Property tests: any text gives well-formed, valid TEI that keeps its words in order."""
import re

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from lxml import etree

from pipeline.config import Settings
from pipeline.ingest import decode_text
from pipeline.model import SourceInfo
from pipeline.structure import structure
from pipeline.tei import TEI_NS, build_tei
from pipeline.validate import validate_bytes

SOURCE = SourceInfo("/in/x.txt", "x.txt", "x", "text", "text/plain", 1, "0" * 64, "UTF-8")
SETTINGS = Settings(edition_date="2026-01-15")
WORD = re.compile(r"\w+")

# Lines that exercise the structure parser as well as arbitrary Unicode.
line = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.builds(lambda t: f"= {t} =", st.text(min_size=1, max_size=20)),
    st.builds(lambda n, t: "=" * n + t + "=" * n, st.integers(2, 4), st.text(min_size=1, max_size=20)),
    st.builds(lambda t: f"- {t}", st.text(min_size=1, max_size=30)),
    st.builds(lambda m, t: f"{m} {t}", st.sampled_from(["(a)", "(iv)", "1.", "2)", "b)"]), st.text(min_size=1, max_size=30)),
    st.sampled_from(["", "\u00a0", "<script>alert(1)</script>", "&amp; ]]> -->", "\u00a0(b) 75,000 POWs"]),
)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, min_size=1, max_size=12))
def test_any_text_gives_valid_tei_keeping_its_words(lines):
    raw = "\n".join(lines)
    try:
        decoded = decode_text(raw.encode("utf-8"))
    except Exception:
        # only text with nothing to keep is refused
        assert not WORD.search(raw) or not raw.strip()
        return
    data = build_tei(structure(decoded.text, SOURCE), SETTINGS)
    root = etree.fromstring(data)
    assert validate_bytes(data, "x.xml") == []
    body_text = "".join(root.find(f"{{{TEI_NS}}}text").itertext())  # inline markup may sit inside a word ("A²")
    assert WORD.findall(body_text) == WORD.findall(decoded.text)
