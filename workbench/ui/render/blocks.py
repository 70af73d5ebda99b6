"""Block-level work of the Markdown renderer: polishing what Qt's importer made, and the runs of
formatted text in a block (to tell whether the start of a paragraph still renders the same).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import (
    QBrush,
    QFont,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from workbench.ui.render.code import Theme


def tr(text: str) -> str:
    """Translates a string of the rendered document (context "Markdown")."""
    return QCoreApplication.translate("Markdown", text)


def runs(block: QTextBlock, start: int, end: int) -> list[tuple[int, QTextCharFormat]]:
    """(length, format) of the text of ``block`` from ``start`` to ``end`` (offsets in the
    block), adjacent runs of one format merged: equal lists mean the same formatted text."""
    result: list[tuple[int, QTextCharFormat]] = []
    base = block.position()
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        a = max(start, fragment.position() - base)
        b = min(end, fragment.position() - base + fragment.length())
        if b > a:
            char_format = fragment.charFormat()
            if result and result[-1][1] == char_format:
                result[-1] = (result[-1][0] + b - a, char_format)
            else:
                result.append((b - a, char_format))
        elif fragment.position() - base >= end:
            break
        it += 1
    return result


def heading_size(block: QTextBlock) -> int:
    """The font size adjustment Qt's importer gave a heading block (H1 +3 … H6 -2)."""
    it = block.begin()
    while not it.atEnd():
        char_format = it.fragment().charFormat()
        if char_format.hasProperty(QTextFormat.Property.FontSizeAdjustment):
            return char_format.intProperty(QTextFormat.Property.FontSizeAdjustment)
        it += 1
    return 4 - block.blockFormat().headingLevel()  # the importer's rule, if no text kept it


def polish(scratch: QTextDocument, theme: Theme) -> None:
    """Adjusts what Qt's importer made: images become links, code gets a background."""
    images: list[tuple[int, str, str]] = []
    inline_code: list[tuple[int, int]] = []
    links: list[tuple[int, int]] = []
    headings: list[tuple[int, int, int]] = []  # (start, length, size adjustment)
    block = scratch.begin()
    while block.isValid():
        block_format = block.blockFormat()
        level = block_format.headingLevel()
        if level > 0 and block.length() > 1:
            headings.append((block.position(), block.length() - 1, heading_size(block)))
        if block_format.hasProperty(QTextFormat.Property.BlockCodeFence) or (
            block_format.nonBreakableLines()
        ):
            # A code block the importer made (inside a quote, or indented): background.
            fmt = QTextBlockFormat()
            fmt.setBackground(QBrush(theme.code_background))
            QTextCursor(block).mergeBlockFormat(fmt)
        else:
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                char_format = fragment.charFormat()
                if char_format.isImageFormat():
                    image = char_format.toImageFormat()
                    alt = char_format.stringProperty(QTextFormat.Property.ImageAltText)
                    for i in range(fragment.length()):
                        images.append((fragment.position() + i, image.name(), alt))
                elif char_format.fontFixedPitch():
                    inline_code.append((fragment.position(), fragment.length()))
                elif char_format.isAnchor():
                    # Qt took the application palette's link colour; follow `dark` instead.
                    links.append((fragment.position(), fragment.length()))
                it += 1
        block = block.next()
    cursor = QTextCursor(scratch)
    code_format = QTextCharFormat()
    code_format.setBackground(QBrush(theme.code_background))
    link_colour = QTextCharFormat()
    link_colour.setForeground(QBrush(theme.link))
    for spans, char_format in ((inline_code, code_format), (links, link_colour)):
        for position, length in spans:
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(char_format)
    for position, length, size in headings:
        # Qt's importer gives the heading's size and weight only to the text before the
        # first span (bold, italic, code, link): the rest of the line falls back to body text.
        heading = QTextCharFormat()
        heading.setProperty(QTextFormat.Property.FontSizeAdjustment, size)
        heading.setFontWeight(QFont.Weight.Bold)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(heading)
    for position, url, alt in reversed(images):
        # Never load an image: show its alt text as a link the user may choose to open.
        label = alt or QUrl(url).fileName() or url
        link = QTextCharFormat()
        link.setAnchor(True)
        link.setAnchorHref(url)
        link.setForeground(QBrush(theme.link))
        link.setFontUnderline(True)
        cursor.setPosition(position)
        cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(tr("[image: %1]").replace("%1", label), link)
