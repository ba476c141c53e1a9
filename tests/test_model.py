import io
import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

from cleaner import Cleaner, ModelError
from cleaner.model import FORMAT_VERSION, Model, load_model


@pytest.fixture(scope="module")
def shipped() -> Model:
    return load_model()


def test_shipped_model_loads_with_header(shipped: Model) -> None:
    assert shipped.header["format_version"] == FORMAT_VERSION
    assert 0.0 < shipped.threshold <= 0.5
    assert 0.5 <= shipped.promo_threshold < 1.0


def test_save_load_round_trip(tmp_path: Path, shipped: Model) -> None:
    path = tmp_path / "m.npz"
    shipped.save(path)
    again = load_model(path)
    for name, arr in shipped.arrays.items():
        np.testing.assert_allclose(again.arrays[name], arr, rtol=1e-6)
    assert again.threshold == pytest.approx(shipped.threshold)


def _rewrite_header(src: Model, path: Path, **changes: object) -> None:
    src.save(path)
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    header = json.loads(str(arrays.pop("header")))
    header.update(changes)
    np.savez(path, header=np.array(json.dumps(header)), **arrays)


def test_refuses_wrong_version(tmp_path: Path, shipped: Model) -> None:
    path = tmp_path / "v99.npz"
    _rewrite_header(shipped, path, format_version=99)
    with pytest.raises(ModelError, match="format version 99"):
        load_model(path)


def test_refuses_foreign_truncated_and_missing_files(tmp_path: Path, shipped: Model) -> None:
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, weights=np.zeros(3))
    with pytest.raises(ModelError, match="no header"):
        load_model(foreign)
    good = tmp_path / "good.npz"
    shipped.save(good)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ModelError):
        load_model(truncated)
    text = tmp_path / "text.npz"
    text.write_text("hello")
    with pytest.raises(ModelError):
        load_model(text)
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "absent.npz")


def test_refuses_wrong_shapes(tmp_path: Path, shipped: Model) -> None:
    arrays = dict(shipped.arrays)
    arrays["hash_coef"] = arrays["hash_coef"][:10]
    path = tmp_path / "shape.npz"
    Model(arrays, dict(shipped.header)).save(path)
    with pytest.raises(ModelError, match="hash_coef"):
        load_model(path)


class _Boom:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        import os
        return (os.system, (f"touch {MARKER}",))


MARKER = Path("/nonexistent")


def test_pickle_payload_in_model_file_never_runs(tmp_path: Path) -> None:
    global MARKER
    MARKER = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    # An .npz whose "header" is a pickled object array: loading it must not unpickle.
    buf = io.BytesIO()
    np.save(buf, np.array([_Boom()], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("header.npy", buf.getvalue())
    with pytest.raises(ModelError):
        load_model(path)
    raw = tmp_path / "evil.pkl"
    raw.write_bytes(pickle.dumps(_Boom()))
    with pytest.raises(ModelError):
        Cleaner(model=raw).clean("Some text.")
    assert not MARKER.exists()


def test_shipped_model_matches_the_checksum_in_its_card() -> None:
    import hashlib
    import re
    from importlib import resources

    models = resources.files("cleaner.models")
    card = models.joinpath("MODEL_CARD.md").read_text(encoding="utf-8")
    recorded = re.search(r"sha256 `([0-9a-f]{64})`", card)
    assert recorded, "the model card records no sha256"
    digest = hashlib.sha256(models.joinpath("default.npz").read_bytes()).hexdigest()
    assert digest == recorded.group(1)
    size = len(models.joinpath("default.npz").read_bytes())
    assert size < 5 * 1024 * 1024


def test_refuses_malformed_trees(tmp_path: Path, shipped: Model) -> None:
    from cleaner.context import N_CONTEXT

    for change, message in (((2, 7.0e9), "do not exist"), ((0, float(N_CONTEXT)), "split on feature")):
        arrays = dict(shipped.arrays)
        nodes = arrays["ctx_nodes"].copy()
        split = int(np.flatnonzero(nodes[:, 2] != np.arange(len(nodes)))[0])
        col, value = change
        nodes[split, col] = value
        arrays["ctx_nodes"] = nodes
        path = tmp_path / "trees.npz"
        Model(arrays, dict(shipped.header)).save(path)
        with pytest.raises(ModelError, match=message):
            load_model(path)


def test_tree_thresholds_survive_saving_exactly(tmp_path: Path, shipped: Model) -> None:
    path = tmp_path / "m.npz"
    shipped.save(path)
    again = load_model(path)
    np.testing.assert_array_equal(again.arrays["ctx_nodes"], shipped.arrays["ctx_nodes"])
