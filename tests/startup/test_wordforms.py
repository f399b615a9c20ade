"""lemminflect's dictionaries read a word at a time give exactly what its whole-file load gives."""

from __future__ import annotations

import gzip

import pytest
from lemminflect import Inflections, Lemmatizer
from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
from lemminflect.codecs.LemmaLUCodec import LemmaLUCodec

from process_designer.language import wordforms
from process_designer.language.wordforms import SortedLookup


def _lemma_line(line: str) -> tuple[str, dict[str, tuple[str, ...]]]:
    word, category, forms = LemmaLUCodec.fromString(line)
    return word, {category.upper().replace("MODAL", "AUX"): forms}


def _inflection_line(line: str) -> tuple[str, dict[str, tuple[str, ...]]]:
    word, _, forms = InflectionLUCodec.fromString(line)
    return word, forms


@pytest.mark.parametrize(("path", "read_line", "load", "fixed"), [
    (Lemmatizer().lemma_lu_fn, _lemma_line, LemmaLUCodec.load, {}),
    (Inflections().infl_lu_fn, _inflection_line, InflectionLUCodec.load, InflectionLUCodec.updateForAuxMod({})),
])
def test_every_word_of_the_dictionary_is_found_as_the_whole_load_has_it(path, read_line, load, fixed) -> None:
    whole = load(path)
    lookup = SortedLookup(path, read_line, fixed)
    assert len(lookup) == len(whole)
    for word, entry in whole.items():
        assert lookup.get(word) == entry, word
    assert lookup.get("zzqx-not-a-word") is None
    assert "zzqx-not-a-word" not in lookup


def test_a_word_on_several_lines_merges_them_in_file_order(tmp_path) -> None:
    path = tmp_path / "lu.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("'d,aux,will/have\n'd,verb,would\nabc,noun,abc\nabc-def,noun,abc-def\n")
    lookup = SortedLookup(str(path), _lemma_line)
    assert lookup["'d"] == {"AUX": ("will", "have"), "VERB": ("would",)}
    assert lookup["abc"] == {"NOUN": ("abc",)}  # "abc-def" sorts after "abc," and is its own word
    assert list(lookup) == ["'d", "abc", "abc-def"]


def test_word_forms_answer_through_lemminflect() -> None:
    assert wordforms.all_lemmas("examines") == {"VERB": ("examine",)}
    assert "NOUN" in wordforms.all_lemmas("claims") and "VERB" in wordforms.all_lemmas("claims")
    assert wordforms.lemmas("officers", "NOUN") == ("officer",)
    assert wordforms.lemmas("dedupes", "VERB") == ("dedupe",)  # by lemminflect's rules: not in its dictionary
    assert wordforms.inflections("draft", "VBZ") == ("drafts",)
    assert wordforms.inflections("approve", "VBN") == ("approved",)
    assert wordforms.oov_lemmas("examines", "VERB") == {"VERB": ("examine",)}
    assert isinstance(Lemmatizer().lemma_dict, SortedLookup)
    assert isinstance(Inflections().infl_dict, SortedLookup)
