"""Task granularity: small texts share task runs, scans and big texts get their own."""
from pipeline.batching import MAX_BATCH, SOLO_BYTES, plan_batches


def _texts(folder, n, size=100):
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"t{i:04d}.txt"
        path.write_bytes(b"a" * size)
        paths.append(path)
    return paths


def test_every_source_is_planned_once_in_order(tmp_path):
    paths = _texts(tmp_path, 103)
    batches = plan_batches(paths, workers=2)
    assert [p for b in batches for p in b] == paths
    assert len(batches) == 8  # 4 per worker: an even load and steady progress


def test_batches_are_bounded(tmp_path):
    batches = plan_batches(_texts(tmp_path, 2000), workers=2)
    assert max(map(len, batches)) == MAX_BATCH and len(batches) == 2000 // MAX_BATCH


def test_scans_folders_and_big_texts_get_a_task_of_their_own(tmp_path):
    texts = _texts(tmp_path / "in", 6)
    scan = tmp_path / "in" / "page.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    folder = tmp_path / "in" / "letter"
    folder.mkdir()
    big = tmp_path / "in" / "big.txt"
    big.write_bytes(b"a" * (SOLO_BYTES + 1))
    batches = plan_batches([*texts, scan, folder, big], workers=1)
    assert batches[:3] == [[scan], [folder], [big]]
    assert [p for b in batches[3:] for p in b] == texts


def test_missing_sources_still_reach_a_task(tmp_path):
    gone = tmp_path / "gone.txt"
    assert plan_batches([gone], workers=2) == [[gone]]  # make_edition reports why it failed
