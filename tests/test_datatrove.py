import gzip
import json
from pathlib import Path

import pytest

from cleaner import clean

from .conftest import SEED_PAGES

pytest.importorskip("datatrove", reason="the datatrove extra is not installed")
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from cleaner.integrations.datatrove import ArticleCleaner  # noqa: E402

TEXTS = [p.read_text(encoding="utf-8") for p in SEED_PAGES]


def test_pipeline_output_equals_clean(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    # Two files for two tasks: each task runs in its own worker process and loads the model there.
    for k in range(2):
        with (src / f"part-{k}.jsonl").open("w", encoding="utf-8") as f:
            for i, text in enumerate(TEXTS):
                f.write(json.dumps({"id": f"{k}-{i}", "text": text, "source": "seed"}, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    LocalPipelineExecutor(
        [JsonlReader(str(src)), ArticleCleaner(labels=True), JsonlWriter(str(out), compression=None)],
        tasks=2, workers=2, logging_dir=str(tmp_path / "logs"),
    ).run()
    docs = {}
    for part in sorted(out.glob("*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            docs[doc["id"]] = doc
    assert sorted(docs) == sorted(f"{k}-{i}" for k in range(2) for i in range(len(TEXTS)))
    for doc_id, doc in docs.items():
        text = TEXTS[int(doc_id.split("-")[1])]
        assert doc["text"] == clean(text)
        assert doc["metadata"]["source"] == "seed"
        assert len(doc["metadata"]["labels"]) == len(text.splitlines())
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s for s in stats if "clean-article" in s["name"])
    assert step["stats"]["total"] == len(docs)
    removed = sum(step["stats"].get(f"lines_removed_{c}", {"total": 0})["total"] for c in ("nav", "paywall", "ad"))
    assert removed == sum(sum(d["metadata"]["removed"].values()) for d in docs.values()) > 0


def test_step_pickles_without_its_model() -> None:
    import pickle

    step = ArticleCleaner()
    step.format(TEXTS[0])  # loads the model
    copy = pickle.loads(pickle.dumps(step))
    assert copy.cleaner._model is None  # a worker loads its own, lazily
    assert copy.format(TEXTS[0]) == clean(TEXTS[0])
