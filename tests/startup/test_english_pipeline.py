"""The English pipeline loads without what no reader uses, and without reading what it has already built."""

from __future__ import annotations

import spacy

from process_designer.language.pipeline import MODEL, NOT_LOADED, english


def test_the_tokenizer_it_keeps_is_the_one_the_model_ships() -> None:
    shipped = spacy.load(MODEL, exclude=["ner"]).tokenizer  # read from the model's folder
    kept = spacy.load(MODEL, exclude=list(NOT_LOADED)).tokenizer
    assert kept.to_bytes(exclude=["vocab"]) == shipped.to_bytes(exclude=["vocab"])
    assert [t.text for t in kept("Don't e-mail the CRM's U.S. team at 5:30pm :-)")] == \
        [t.text for t in shipped("Don't e-mail the CRM's U.S. team at 5:30pm :-)")]


def test_the_pipeline_has_what_the_readers_read() -> None:
    assert english().pipe_names == ["merge_roles", "tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
