"""The catalogues: complete, consistent with the code, compiled; and the mechanism that reads them.

The completeness checks regenerate each catalogue from the code (``pyside6-lupdate`` into a copy)
and fail on any sentence without a translation, any translation the code no longer has, any
placeholder that differs from its source's, and a compiled ``.qm`` that is not what its ``.ts``
compiles to (older than its source).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from workbench.core import i18n

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

import translations  # noqa: E402  (packaging/translations.py)

CATALOGUES = translations.catalogues()


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def test_there_is_a_simplified_chinese_catalogue():
    assert "zh_CN" in i18n.available_languages()
    assert i18n.available_languages()[0] == "en"
    assert i18n.language_name("zh_CN") == "简体中文"
    assert i18n.language_name("en") == "English"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> dict[str, ET.Element]:
    """Each catalogue merged with the sentences in the code now, obsolete ones kept."""
    out = tmp_path_factory.mktemp("ts")
    copies = []
    for ts in CATALOGUES:
        copy = out / ts.name
        shutil.copy(ts, copy)
        copies.append(copy)
    translations.lupdate(copies, drop_obsolete=False)
    return {c.stem: ET.parse(c).getroot() for c in copies}


def _messages(root: ET.Element):
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            yield name, message


@pytest.mark.parametrize("ts", CATALOGUES, ids=lambda p: p.stem)
def test_every_sentence_in_the_code_is_translated(ts, regenerated):
    missing = [
        f"{context}: {message.findtext('source')!r}"
        for context, message in _messages(regenerated[ts.stem])
        if message.find("translation").get("type") == "unfinished"
    ]
    assert not missing, f"{len(missing)} sentences without a translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("ts", CATALOGUES, ids=lambda p: p.stem)
def test_no_translation_is_obsolete(ts, regenerated):
    stale = [
        f"{context}: {message.findtext('source')!r}"
        for context, message in _messages(regenerated[ts.stem])
        if message.find("translation").get("type") in ("obsolete", "vanished")
    ]
    assert not stale, "translations of sentences gone from the code:\n" + "\n".join(stale)


@pytest.mark.parametrize("ts", CATALOGUES, ids=lambda p: p.stem)
def test_placeholders_match_their_source(ts):
    wrong = []
    for context, message in _messages(ET.parse(ts).getroot()):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
        for form in forms:
            if translation.get("type") is None and i18n.placeholders(form) != i18n.placeholders(
                source
            ):
                wrong.append(f"{context}: {source!r} -> {form!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("ts", CATALOGUES, ids=lambda p: p.stem)
def test_compiled_catalogue_is_current(ts, tmp_path):
    qm = ts.with_suffix(".qm")
    assert qm.is_file(), f"{qm.name} is missing: run packaging/translations.py compile"
    fresh = tmp_path / qm.name
    translations.lrelease(ts, fresh)
    assert qm.read_bytes() == fresh.read_bytes(), (
        f"{qm.name} is older than {ts.name}: run packaging/translations.py compile"
    )


def test_the_checks_can_fail(tmp_path):
    """A sentence the catalogue lacks shows as unfinished after the merge; a placeholder
    dropped in translation is seen."""
    source = tmp_path / "m.py"
    source.write_text('from workbench.core.i18n import translate\ntranslate("t", "New {x}")\n')
    ts = tmp_path / "t.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="zh_CN"><context><name>t</name><message>'
        "<source>Gone</source><translation>走了</translation></message></context></TS>\n",
        encoding="utf-8",
    )
    subprocess.run(
        [translations.tool("pyside6-lupdate"), str(source), "-silent", "-ts", str(ts)], check=True
    )
    types = {
        m.findtext("source"): m.find("translation").get("type")
        for _, m in _messages(ET.parse(ts).getroot())
    }
    assert types == {"New {x}": "unfinished", "Gone": "vanished"}
    assert i18n.placeholders("New {x}") != i18n.placeholders("新的")


# The mechanism


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh_SG", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("zh-Hans-CN", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh_TW.UTF-8", None),
        ("zh-Hant-HK", None),
        ("en_US.UTF-8", "en"),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("fr_FR", None),
        ("", None),
    ],
)
def test_locale_tags_match_a_catalogue(tag, expected):
    assert i18n.match_language(tag, ["en", "zh_CN"]) == expected


def test_system_language_reads_the_environment_in_gettext_order():
    assert i18n.system_language({"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert i18n.system_language({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.system_language({"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"}) == "zh_CN"
    assert i18n.system_language({"LANG": "C"}, ui_languages=["zh-Hans-CN"]) == "en"
    assert i18n.system_language({}, ui_languages=["de-DE", "zh-Hans-CN"]) == "zh_CN"
    assert i18n.system_language({"LANG": "zh_TW.UTF-8"}) == "en"
    assert i18n.language_from_environment({"WORKBENCH_LANG": "zh_CN", "LANG": "C"}) == "zh_CN"


def test_translate_follows_the_language_and_hands_it_down(monkeypatch):
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    assert i18n.set_language("zh_CN") == "zh_CN"
    assert i18n.translate("Language", "English") == "简体中文"
    assert i18n.translate("no such context", "Untranslated {x}") == "Untranslated {x}"
    import os

    assert os.environ[i18n.ENV_VAR] == "zh_CN"
    assert i18n.set_language("en") == "en"
    assert i18n.translate("Language", "English") == "English"


def test_plural_sentences_take_the_count():
    assert i18n.translate("x", "%n files", None, 3) == "3 files"


def _write_catalogue(path: Path, messages: dict[tuple[str, str], str]) -> None:
    body = "".join(
        f"<context><name>{c}</name><message><source>{s}</source>"
        f"<translation>{t}</translation></message></context>"
        for (c, s), t in messages.items()
    )
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1">{body}</TS>\n',
        encoding="utf-8",
    )


def test_a_new_language_is_one_file(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "catalogue_dir", lambda: tmp_path)
    _write_catalogue(
        tmp_path / "workbench_fr.ts",
        {("Language", "English"): "Français", ("Locale", "."): ",", ("Locale", ","): " "},
    )
    assert i18n.available_languages() == ["en", "fr"]
    assert i18n.language_name("fr") == "Français"
    assert i18n.match_language("fr_CA.UTF-8") == "fr"
    i18n.set_language("fr")
    assert i18n.decimal(1234.56, 1) == "1 234,6"


def test_a_broken_catalogue_means_english_and_one_log_line(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(i18n, "catalogue_dir", lambda: tmp_path)
    (tmp_path / "workbench_fr.ts").write_text("<TS><context>", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="workbench.core.i18n"):
        assert i18n.set_language("fr") == "en"
    assert len(caplog.records) == 1
    assert "using English" in caplog.records[0].getMessage()
    assert i18n.translate("Language", "English") == "English"


def test_a_broken_qm_means_english_and_one_log_line(qapp, tmp_path, monkeypatch, caplog):
    from workbench.qt import i18n as qt_i18n

    shutil.copy(i18n.catalogue_dir() / "workbench_zh_CN.ts", tmp_path / "workbench_zh_CN.ts")
    (tmp_path / "workbench_zh_CN.qm").write_bytes(b"not a qm file")
    monkeypatch.setattr(i18n, "catalogue_dir", lambda: tmp_path)
    try:
        with caplog.at_level(logging.WARNING):
            assert qt_i18n.apply_language("zh_CN") == "en"
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
            f"The zh_CN translation {tmp_path / 'workbench_zh_CN.qm'} could not be loaded; "
            "using English."
        ]
        assert i18n.current_language() == "en"
    finally:
        qt_i18n.apply_language("en")


def test_qt_dialogs_and_our_widgets_come_in_chinese(qapp):
    from PySide6.QtCore import QCoreApplication, QLocale
    from PySide6.QtWidgets import QDialogButtonBox

    from workbench.qt import i18n as qt_i18n

    try:
        assert qt_i18n.apply_language("zh_CN") == "zh_CN"
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        # Qt's own catalogue: the standard button reads 取消.
        assert "取消" in box.button(QDialogButtonBox.StandardButton.Cancel).text()
        assert QCoreApplication.translate("Language", "English") == "简体中文"
        assert QLocale().name() == "zh_CN"
    finally:
        qt_i18n.apply_language("en")
    assert QCoreApplication.translate("Language", "English") == "English"


def test_the_window_follows_the_setting_then_the_system(monkeypatch):
    from workbench.qt import i18n as qt_i18n

    assert qt_i18n.chosen_language("zh_CN") == "zh_CN"
    assert qt_i18n.chosen_language("en") == "en"
    monkeypatch.setattr(i18n, "_INHERITED", None)
    monkeypatch.setattr(i18n, "system_language", lambda **kw: "zh_CN")
    assert qt_i18n.chosen_language(None) == "zh_CN"
    assert qt_i18n.chosen_language("system") == "zh_CN"
    assert qt_i18n.chosen_language("xx") == "zh_CN"
