"""Block-level work of the Markdown renderer: polishing what Qt's importer made, and the runs of
formatted text in a block (to tell whether the start of a paragraph still renders the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, QSizeF, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QBrush,
    QFont,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
    QTextFragment,
)

from workbench.core.i18n import translate
from workbench.ui.render.code import Theme


def fragments_after(block: QTextBlock, start: int) -> list[QTextFragment]:
    """The fragments of ``block`` that end after ``start`` (an offset in the block), in order;
    found from the block's end, so a long block costs only what lies after ``start``."""
    base = block.position()
    found = []
    it = block.end()
    while it != block.begin():
        it -= 1
        fragment = it.fragment()
        if fragment.position() - base + fragment.length() <= start:
            break
        found.append(fragment)
    found.reverse()
    return found


def runs(block: QTextBlock, start: int, end: int) -> list[tuple[int, QTextCharFormat]]:
    """(length, format) of the text of ``block`` from ``start`` to ``end`` (offsets in the
    block), adjacent runs of one format merged: equal lists mean the same formatted text."""
    result: list[tuple[int, QTextCharFormat]] = []
    base = block.position()
    for fragment in fragments_after(block, start):
        a = max(start, fragment.position() - base)
        b = min(end, fragment.position() - base + fragment.length())
        if b <= a:
            break
        char_format = fragment.charFormat()
        if result and result[-1][1] == char_format:
            result[-1] = (result[-1][0] + b - a, char_format)
        else:
            result.append((b - a, char_format))
    return result


class _NoLayout(QAbstractTextDocumentLayout):
    """The layout of a scratch document: none. Units are parsed there to be copied, never
    shown, and Qt would otherwise lay a whole paragraph out for a cursor move."""

    def draw(self, painter, context) -> None:
        """Nothing is drawn."""

    def hitTest(self, point, accuracy) -> int:
        return -1

    def pageCount(self) -> int:
        return 1

    def documentSize(self) -> QSizeF:
        return QSizeF()

    def frameBoundingRect(self, frame) -> QRectF:
        return QRectF()

    def blockBoundingRect(self, block) -> QRectF:
        return QRectF()

    def documentChanged(self, position: int, removed: int, added: int) -> None:
        """Nothing to lay out."""


def unlaid(document: QTextDocument) -> QTextDocument:
    """``document``, never laid out (a scratch document for parsing)."""
    document.setDocumentLayout(_NoLayout(document))
    return document


# -- source lines ------------------------------------------------------------------------------


@dataclass
class Fence:
    """An open fenced code block."""

    char: str
    length: int
    indent: int  # columns of indentation removed from each content line
    base: int  # content column of the enclosing list item (0 at top level)
    level: int  # visual indent (nesting in list items)
    language: str
    index: int  # into MarkdownRenderer.code_blocks
    lines: list[str] = field(default_factory=list)
    code_start: int = -1  # document position of the first code line
    provisional: bool = False  # lines were coloured one by one while streaming


def indent_width(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def strip_indent(line: str, columns: int) -> str:
    """Removes up to ``columns`` columns of leading whitespace (as CommonMark does in fences)."""
    width = i = 0
    while i < len(line) and width < columns and line[i] in " \t":
        width += 1 if line[i] == " " else 4 - width % 4
        i += 1
    return line[i:]


# -- an open paragraph, frozen line by line ----------------------------------------------------

# The live block of an open paragraph is cut once it has more lines than this, keeping the last
# LIVE_LINES of them live (the last line may end in half a word; the one before is finished).
FREEZE_LINES = 8
LIVE_LINES = 2

Runs = list[tuple[int, QTextCharFormat]]


@dataclass
class Frozen:
    """The open paragraph, while its finished lines are kept in blocks of their own.

    Offsets count UTF-16 units in the paragraph's text, as Qt does.
    """

    live_pos: int  # where the frozen blocks end (the end of a block); the live block follows
    live_from: int  # where the live block starts in the paragraph's text
    text: bytes  # the paragraph's text up to live_from, UTF-16
    piece_from: int  # where the last frozen block starts
    runs: Runs  # the formatted runs of the last frozen block, as the whole paragraph gave them
    block_format: QTextBlockFormat  # the paragraph's, as parsed
    width: float  # the text width its lines were cut at
    cut: tuple[int, bytes, Runs] | None = None  # where to cut next: (offset, text, runs)


def plain_paragraph(scratch: QTextDocument) -> QTextBlock | None:
    """The paragraph that ``scratch`` holds, if it holds one plain paragraph (no list, heading,
    code, rule, table or image), else None."""
    block = scratch.begin()
    fmt = block.blockFormat()
    if (
        scratch.blockCount() != 1
        or fmt.objectIndex() >= 0
        or fmt.headingLevel()
        or fmt.nonBreakableLines()
        or fmt.hasProperty(QTextFormat.Property.BlockCodeFence)
        or fmt.hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth)
        or scratch.rootFrame().childFrames()
        or "\ufffc" in block.text()  # an image: polishing changes its text
    ):
        return None
    return block


def cut_candidate(live: QTextBlock, live_from: int) -> tuple[int, bytes, Runs] | None:
    """Where the live block of an open paragraph may be cut: at the start of one of its last
    lines as laid out now, with the text and runs before it; None while it is short (or was
    not laid out since it last changed)."""
    layout = live.layout()
    count = layout.lineCount() if layout is not None else 0
    if count <= FREEZE_LINES:
        return None
    last = layout.lineAt(count - 1)
    if last.textStart() + last.textLength() != live.length() - 1:
        return None
    at = layout.lineAt(count - LIVE_LINES).textStart()
    return live_from + at, live.text().encode("utf-16-le")[: 2 * at], runs(live, 0, at)


def piece_format(block: QTextBlock, start: int, last: bool) -> QTextBlockFormat:
    """The format of a block holding part of ``block`` from ``start``: no margin between it
    and the parts around it, so that its lines sit where the whole block would put them."""
    fmt = QTextBlockFormat(block.blockFormat())
    if start > 0:
        fmt.setTopMargin(0)
    if not last:
        fmt.setBottomMargin(0)
    return fmt


def copy_of(scratch: QTextDocument, block: QTextBlock, start: int, end: int):
    """The text of ``block`` from ``start`` to ``end``, formats included."""
    source = QTextCursor(scratch)
    source.beginEditBlock()  # (see polish)
    source.setPosition(block.position() + start)
    source.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
    fragment = QTextDocumentFragment(source)
    source.endEditBlock()
    return fragment


# -- polishing ---------------------------------------------------------------------------------


def heading_size(block: QTextBlock) -> int:
    """The font size adjustment Qt's importer gave a heading block (H1 +3 … H6 -2)."""
    it = block.begin()
    while not it.atEnd():
        char_format = it.fragment().charFormat()
        if char_format.hasProperty(QTextFormat.Property.FontSizeAdjustment):
            return char_format.intProperty(QTextFormat.Property.FontSizeAdjustment)
        it += 1
    return 4 - block.blockFormat().headingLevel()  # the importer's rule, if no text kept it


def polish(scratch: QTextDocument, theme: Theme, start: int = 0) -> None:
    """Adjusts what Qt's importer made: images become links, code gets a background, a heading
    keeps its size. From position ``start`` on (what came before is polished already)."""
    images: list[tuple[int, str, str]] = []
    inline_code: list[tuple[int, int]] = []
    links: list[tuple[int, int]] = []
    headings: list[tuple[int, int, int]] = []  # (start, length, size adjustment)
    block = scratch.findBlock(start)
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
            for fragment in fragments_after(block, start - block.position()):
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
        block = block.next()
    cursor = QTextCursor(scratch)
    # In an edit block a cursor does not ask the layout where it is: the scratch document is
    # never laid out (that would cost a whole paragraph, as one line, per update).
    cursor.beginEditBlock()
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
        cursor.insertText(translate("Markdown", "[image: {name}]").format(name=label), link)
    cursor.endEditBlock()
