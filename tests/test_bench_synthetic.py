"""The scale benchmark's document generator (the benchmark itself lives outside the suite)."""
from benchmarks.synthetic import document, generate, sample_paragraphs
from pipeline.edition import make_edition
from pipeline.validate import validate_file


def test_generator_writes_distinct_deterministic_documents(tmp_path):
    words = generate(tmp_path / "a", 12)
    files = sorted((tmp_path / "a").iterdir())
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert len(files) == 12 and len(set(texts)) == 12
    assert words == sum(len(t.split()) for t in texts) and words > 12 * 200
    assert texts[5] == document(5, sample_paragraphs())  # the same for every run and count


def test_generated_documents_become_valid_tei(tmp_path, settings):
    generate(tmp_path / "in", 3)
    for path in sorted((tmp_path / "in").iterdir()):
        outcome = make_edition(path, tmp_path / "out", settings)
        assert outcome.status == "ok", outcome.error
        assert outcome.counts["words"] > 200
        assert validate_file(tmp_path / "out" / "tei" / f"{outcome.stem}.xml") == []
