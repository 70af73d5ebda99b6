"""Finding English left in a translated screen or terminal output.

A text "has English" when, after names that are never translated (products, providers, model
families, units, acronyms) and identifier-like chunks (model IDs, file names, addresses, options,
quantizations: anything with a digit, ``.``, ``_``, ``/``, ``-`` or ``:`` in it) are set aside,
a word of Latin letters remains.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

# Never translated: the glossary's list of names, and the words of keys and units.
PROPER = {
    # products, formats, hardware and standards
    "Workbench", "English", "GGUF", "GPU", "CPU", "Hub", "Hugging", "Face", "HuggingFace", "Token",
    "Tokens", "API", "URL", "HTTP", "HTTPS", "RAM", "VRAM", "KV", "Flash", "Attention", "Top",
    "Min", "CUDA", "Vulkan", "Metal", "ROCm", "Linux", "Windows", "macOS", "JSON", "CSV", "Jinja",
    "ChatML", "Alpaca", "Vicuna", "Zephyr", "Markdown", "SHA", "Elo", "llama", "cpp", "Python",
    "Qt", "MIT", "Apache",
    "GB", "MB", "KB", "TB", "B", "K", "M", "s", "ms", "tok", "Arena",
    # providers and services
    "OpenAI", "DeepSeek", "OpenRouter", "Groq", "Mistral", "Together", "Ollama", "LM", "Studio",
    "vLLM", "Kimi", "Moonshot", "GLM", "Zhipu", "Qwen", "DashScope", "Anthropic", "Gemini",
    "SiliconFlow", "Azure",
    # model families
    "Llama", "Gemma", "Phi", "Yi", "InternLM", "MiniCPM", "Baichuan", "SmolLM", "Granite",
    "Falcon", "Hermes", "Instruct", "Nemo",
    # keys
    "Ctrl", "Shift", "Alt", "Meta", "Enter", "Return", "Esc", "Tab", "Del", "Space", "Backspace",
    "PgUp", "PgDown", "Home", "End", "Ins", "Menu", "F1", "F2",
}  # fmt: skip

# Phrases quoted from other programs' screens, which show them in English.
PHRASES = ("Settings → Access Tokens", "Base URL")

_CHUNK = re.compile(r"[A-Za-z0-9_.\-/:+@#%&'’\\]+")
_LETTERS = re.compile(r"[A-Za-z]+")


def english_words(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """The words of ``text`` that are English (see the module docstring)."""
    words = []
    for phrase in PHRASES:
        text = text.replace(phrase, "")
    for chunk in _CHUNK.findall(text.replace("&&", "").replace("&", "")):
        if re.search(r"[0-9_./:\-@#\\]", chunk):
            continue  # an identifier, a file, an address, an option, a quantization
        chunk = chunk.strip("'’%+")
        for word in _LETTERS.findall(chunk):
            if word in PROPER or word in allowed or (word.isupper() and len(word) <= 6):
                continue
            words.append(word)
    return words


def plain(text: str) -> str:
    """A label's text without its markup (rich text is common in our labels)."""
    if "<" in text and ">" in text:
        return QTextDocumentFragment.fromHtml(text).toPlainText()
    return text


def _is_chat(view: QAbstractItemView) -> bool:
    """Messages are what people and models wrote, in whatever language they wrote them."""
    return type(view.model()).__name__ == "MessageListModel"


def widget_texts(root: QWidget, *, visible_only: bool = True) -> list[tuple[str, str]]:
    """(where, text) for every text a user can see or hear in ``root``: labels, buttons,
    placeholders, tooltips, accessible names, group titles, tabs, combo items, menus, headers
    and the first rows of item views."""
    found: list[tuple[str, str]] = []

    def add(widget: QWidget, kind: str, text: str) -> None:
        if text and text.strip():
            name = widget.objectName() or type(widget).__name__
            found.append((f"{name}.{kind}", plain(text)))

    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if visible_only and not w.isVisible():
            continue
        add(w, "toolTip", w.toolTip())
        add(w, "accessibleName", w.accessibleName())
        add(w, "accessibleDescription", w.accessibleDescription())
        add(w, "statusTip", w.statusTip())
        if w.isWindow():
            add(w, "windowTitle", w.windowTitle())
        if isinstance(w, (QLabel, QAbstractButton)):
            add(w, "text", w.text())
        elif isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)):
            add(w, "placeholder", w.placeholderText())
        elif isinstance(w, QGroupBox):
            add(w, "title", w.title())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(w, f"tab{i}", w.tabText(i))
                add(w, f"tab{i}.toolTip", w.tabToolTip(i))
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, f"item{i}", w.itemText(i))
        elif isinstance(w, QMenu):
            for action in w.actions():
                add(w, "action", action.text())
                if action.toolTip() != action.text().replace("&", ""):  # Qt's default
                    add(w, "action.toolTip", action.toolTip())
        if isinstance(w, QAbstractItemView) and w.model() is not None and not _is_chat(w):
            model = w.model()
            try:
                columns = model.columnCount()
            except TypeError:  # a list model: one column, and columnCount is private
                columns = 1
            for section in range(columns):
                add(
                    w,
                    f"header{section}",
                    str(model.headerData(section, Qt.Orientation.Horizontal) or ""),
                )
            for row in range(min(model.rowCount(), 20)):
                for column in range(columns):
                    value = model.index(row, column).data()
                    if isinstance(value, str):
                        add(w, f"row{row}.{column}", value)
    for action in root.actions() if hasattr(root, "actions") else []:
        add(root, "action", action.text())
    return found


def english_left(texts: list[tuple[str, str]], allowed: set[str] = frozenset()) -> list[str]:
    """The texts that still have English words, as readable lines for an assertion message."""
    return [
        f"{where}: {text!r} -> {english_words(text, allowed)}"
        for where, text in texts
        if english_words(text, allowed)
    ]
