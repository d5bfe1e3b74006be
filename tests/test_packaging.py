"""An installed package (not only a source checkout) finds its schemas."""
import subprocess
import sys
import zipfile

from tests.conftest import REPO


def test_wheel_ships_the_schemas(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    str(REPO), "-w", str(tmp_path)], check=True, capture_output=True, cwd=tmp_path)
    wheel = next(tmp_path.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for schema in ("tei_pipeline.rng", "tei_pipeline.sch", "tei_all.rng.gz"):
        assert any(n.endswith(f".data/data/share/archive-pipeline/schemas/{schema}") for n in names)


def test_schema_lookup_falls_back_to_the_install_prefix(tmp_path, monkeypatch):
    import pipeline.validate as validate

    share = tmp_path / "share" / "archive-pipeline" / "schemas"
    share.mkdir(parents=True)
    (share / validate.RNG_FILE).write_text("<grammar/>")
    monkeypatch.setattr(validate, "__file__", str(tmp_path / "site-packages" / "pipeline" / "validate.py"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.delenv("PIPELINE_SCHEMAS", raising=False)
    assert validate.schema_dir() == share
