"""Markdown rendering for chat messages, incremental while a reply streams in.

A reply is split into *units*: runs of source lines that Markdown would parse the same way
whether they are rendered alone or as part of the whole reply (a paragraph, a heading, a table,
one list item with its nested lines). A unit is *committed* once a later line shows that it has
ended; committed units are rendered once, at the end of the document, and never touched again.
The open unit (the *tail*) and the unfinished last line are re-rendered on every update, so one
update costs O(delta + tail), never O(reply).

Qt lays a changed block out whole, so a long open paragraph *freezes* its finished lines into
blocks of their own, cut where the layout wrapped them; only its last lines are laid out again.
It is still parsed whole each time (cheap), frozen blocks stay only while they hold what that
parse gives, and an ended paragraph is rendered as one block, as the whole document would be.

Fenced code lines are appended as code blocks while they stream (no Markdown parsing) and
highlighted with pygments when the fence closes; a "Copy" anchor (``copy-code:N``) tops each.

Model replies are untrusted: :class:`SafeDocument` never loads a resource, raw HTML is shown as
text and images become links, so nothing is fetched from the network or read from disk.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QBrush,
    QFont,
    QFontDatabase,
    QImage,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
    QTextList,
)

from workbench.core.i18n import translate
from workbench.ui.render.blocks import (
    Fence,
    Frozen,
    copy_of,
    cut_candidate,
    indent_width,
    piece_format,
    plain_paragraph,
    polish,
    runs,
    strip_indent,
    unlaid,
)
from workbench.ui.render.code import highlight, lexer_for, theme_for

__all__ = [
    "CODE_ROLE_HEADER",
    "CODE_ROLE_LINE",
    "CODE_ROLE_PROPERTY",
    "COPY_CODE",
    "MarkdownRenderer",
    "SafeDocument",
    "anchor_action",
]

COPY_CODE = "copy-code"
"""The action of the anchor above each code block: ``copy-code:N`` copies ``code_blocks[N]``."""

_FEATURES = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    # Raw HTML in a reply is shown as text: it is what chat users expect ("use a <div>"), and it
    # keeps <img>, <style> and friends out of the document.
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)

# A block property on the blocks made for fenced code: CODE_ROLE_HEADER on the "Copy" line,
# CODE_ROLE_LINE on each code line (e.g. for a view that draws its own code background).
CODE_ROLE_PROPERTY = QTextFormat.Property.UserProperty + 0x4D44
CODE_ROLE_HEADER = 1
CODE_ROLE_LINE = 2

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_FENCE_CLOSE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*$")
_ATX_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_TABLE_DELIMITER = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)*[ \t]*:?-+:?[ \t]*\|?[ \t]*$")
_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-+*]|\d{1,9}[.)])(?P<space>[ \t]+|$)")


def anchor_action(href: str) -> tuple[str, int] | None:
    """Parses an action anchor of a rendered message.

    Args:
        href: the anchor's href, e.g. from ``doc.documentLayout().anchorAt(pos)``.

    Returns:
        ``("copy-code", 3)`` for ``"copy-code:3"``; None for anything else (ordinary links).
    """
    action, sep, number = href.partition(":")
    if action != COPY_CODE or not sep or not number.isascii() or not number.isdigit():
        return None
    return action, int(number)


class SafeDocument(QTextDocument):
    """A QTextDocument that never fetches anything.

    A model's reply is untrusted input: it must not make us fetch remote images (tracking
    pixels) or read local files. Every resource request is refused, whatever its scheme.
    Image requests get an empty QImage rather than None: on None, Qt's image handler falls back
    to reading the name as a local file path itself, which an empty image prevents.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # Streaming makes thousands of edits; nobody undoes them, so don't record them.
        self.setUndoRedoEnabled(False)

    def loadResource(self, type: int, name: QUrl) -> Any:
        """Refuses every resource: an empty image for images, None for anything else."""
        if int(getattr(type, "value", type)) == QTextDocument.ResourceType.ImageResource.value:
            return QImage()
        return None


# -- the renderer -----------------------------------------------------------------------------


class MarkdownRenderer:
    """Renders markdown text into a SafeDocument, incrementally while streaming.

    Example::

        renderer = MarkdownRenderer(doc, dark=False)
        renderer.set_text(full_text)   # render from scratch (opening a saved message)
        renderer.append(delta)         # streaming: cost O(len(delta) + len(open tail))
        renderer.finish()              # stream ended: render the open tail as markdown
        renderer.text                  # the full markdown source so far
        renderer.code_blocks           # source text of each fenced code block, in order

    ``set_text(t)`` and ``append()`` of ``t`` in any chunking followed by ``finish()`` give the
    same document.
    """

    def __init__(self, document: QTextDocument, dark: bool = False) -> None:
        self._doc = document
        self._theme = theme_for(dark)
        self._scratch: SafeDocument | None = None  # where each unit is parsed
        self._code_format = QTextCharFormat()
        self._code_format.setFontFamilies(
            [QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family(), "monospace"]
        )
        self._code_format.setFontFixedPitch(True)
        self._code_format.setFontStyleHint(QFont.StyleHint.Monospace)
        self._reset()

    # -- public API ---------------------------------------------------------------------------

    @property
    def document(self) -> QTextDocument:
        """The document this renderer writes to."""
        return self._doc

    @property
    def dark(self) -> bool:
        """Whether colours are chosen for a dark palette."""
        return self._theme.dark

    @property
    def text(self) -> str:
        """The full markdown source so far."""
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    @property
    def code_blocks(self) -> list[str]:
        """The source text of each fenced code block, in order (an open one: so far)."""
        return ["\n".join(fence.lines) for fence in self._fences]

    @property
    def finished(self) -> bool:
        """Whether finish() or set_text() has rendered the whole text."""
        return self._finished

    def reset(self) -> None:
        """Empties the document, ready for a new stream of append() calls."""
        self._reset()

    def set_text(self, text: str) -> None:
        """Renders ``text`` from scratch as a complete message."""
        self._reset()
        self._feed(text, render_tail=False)
        self.finish()

    def append(self, delta: str) -> None:
        """Adds streamed text; costs O(len(delta) + len(open tail)), not O(len(text)).

        Raises:
            RuntimeError: after finish() or set_text() (call reset() to stream a new message).
        """
        if self._finished:
            raise RuntimeError("MarkdownRenderer.append() after finish(); call reset() first")
        if delta:
            self._feed(delta, render_tail=True)

    def rewrap(self) -> None:
        """Renders an open paragraph as one block again; call it after the text width changed
        (its frozen lines were cut where the old width wrapped them)."""
        if self._frozen is not None and not self._finished:
            self._frozen = None
            self._feed("", render_tail=True)

    def finish(self) -> None:
        """Ends the stream: renders the unfinished last line and the open tail as markdown."""
        if self._finished:
            return
        cursor = QTextCursor(self._doc)
        cursor.beginEditBlock()
        try:
            self._remove_tail()
            if self._pending:
                self._process_line(self._pending)
                self._pending = ""
            if self._fence is not None:
                self._close_fence()
            self._commit_unit()
        finally:
            cursor.endEditBlock()
        self._finished = True
        self._scratch = None  # a finished message keeps only its document

    def set_dark(self, dark: bool) -> None:
        """Switches colours to suit a light or dark palette, re-rendering the text.

        Call it when the view's palette changes (e.g. on QEvent.Type.PaletteChange); streaming
        can continue afterwards.
        """
        self._theme = theme_for(dark)
        text, finished = self.text, self._finished
        self._reset()
        self._feed(text, render_tail=not finished)
        if finished:
            self.finish()

    # -- state --------------------------------------------------------------------------------

    def _reset(self) -> None:
        self._parts: list[str] = []
        self._pending = ""  # the unfinished last line
        self._unit: list[str] = []  # complete lines of the open unit
        self._unit_in_item = False  # the open unit's last unindented line is a list item
        self._prev_blank = False
        self._list_columns: list[int] = []  # content columns of the enclosing list items
        self._fence: Fence | None = None
        self._fences: list[Fence] = []
        self._finished = False
        self._merge_cache: tuple[int, QTextList | None] | None = None
        self._doc.clear()
        self._tail_pos = 0  # where the re-rendered tail starts (= end of committed content)
        self._partial_pos: int | None = None  # where the unfinished line is shown apart
        self._frozen: Frozen | None = None  # the open paragraph's frozen lines
        self._streaming = False
        self._has_committed = False
        self._fresh = True  # the document's only block is empty and unused

    def _feed(self, delta: str, render_tail: bool) -> None:
        self._parts.append(delta)
        self._streaming = render_tail
        lines = (self._pending + delta).split("\n")
        self._pending = lines.pop()
        cursor = QTextCursor(self._doc)
        # One edit block: the layout hears of one change per update, not one per insertion.
        cursor.beginEditBlock()
        try:
            if not lines and render_tail and self._partial_pos is not None:
                # Only the unfinished line changed, and it is shown apart from the rest of the
                # tail (a table's next row): leave the table alone, Qt lays tables out whole.
                self._remove_from(self._partial_pos)
                self._insert_partial_line()
                return
            frozen = self._frozen
            if render_tail and frozen is not None and frozen.width == self._doc.textWidth():
                # Keep the frozen lines (checked again by _render_tail); maybe freeze more.
                frozen.cut = cut_candidate(self._doc.lastBlock(), frozen.live_from)
                self._remove_from(frozen.live_pos)
            else:
                self._remove_tail()
            for line in lines:
                self._process_line(line)
            if render_tail:
                self._render_tail()
        finally:
            cursor.endEditBlock()

    # -- splitting into units -----------------------------------------------------------------

    def _process_line(self, line: str) -> None:
        """Takes one complete source line; commits what it proves to have ended."""
        if line.endswith("\r"):
            line = line[:-1]
        fence = self._fence
        if fence is not None:
            close = _FENCE_CLOSE.match(line)
            if (
                close
                and close["fence"][0] == fence.char
                and len(close["fence"]) >= fence.length
                and indent_width(line) - fence.base < 4
            ):
                self._close_fence()
            else:
                content = strip_indent(line, fence.indent)
                fence.lines.append(content)
                self._insert_code_line(fence, content)
                self._set_tail_pos()
            return

        indent = indent_width(line)
        opener = _FENCE_OPEN.match(line)
        if opener and (opener["fence"][0] == "~" or "`" not in opener["info"]):
            columns = [c for c in self._list_columns if c <= indent]
            base = columns[-1] if columns else 0
            # Four columns past its container's content make it indented code, not a fence.
            if indent - base < 4:
                self._list_columns = columns
                self._commit_unit()
                self._open_fence(opener, indent, base)
                self._prev_blank = False
                return

        if not line.strip():
            self._unit.append(line)
            self._prev_blank = True
            return

        unindented = indent == 0
        item = _LIST_ITEM.match(line)
        if unindented and _ATX_HEADING.match(line):
            # A heading is one line and ends whatever came before it.
            self._list_columns.clear()
            self._commit_unit()
            self._unit = [line]
            self._commit_unit()
            self._prev_blank = False
            return
        # After a blank line an unindented line starts a new block; an unindented list item
        # after another item starts a new item (joined to the same QTextList when rendered).
        if self._unit and unindented and (self._prev_blank or (item and self._unit_in_item)):
            self._commit_unit()
        if item:
            self._pop_list_columns(indent)
            spaces = len(item["space"].expandtabs(4))
            width = spaces if 1 <= spaces <= 4 else 1
            self._list_columns.append(indent + len(item["marker"]) + width)
        elif self._prev_blank:
            self._pop_list_columns(indent)
        self._unit.append(line)
        if unindented:
            self._unit_in_item = bool(item)
        self._prev_blank = False

    def _pop_list_columns(self, indent: int) -> None:
        while self._list_columns and indent < self._list_columns[-1]:
            self._list_columns.pop()

    def _commit_unit(self) -> None:
        self._drop_frozen()
        if any(line.strip() for line in self._unit):
            self._insert_markdown("\n".join(self._unit))
            self._set_tail_pos()
        self._unit = []
        self._unit_in_item = False

    # -- document editing ---------------------------------------------------------------------

    def _end(self) -> int:
        return self._doc.characterCount() - 1

    def _set_tail_pos(self) -> None:
        """Marks everything in the document as committed; the tail starts after it."""
        self._tail_pos = self._end()

    def _remove_tail(self) -> None:
        self._remove_from(self._tail_pos)
        self._partial_pos = None
        self._frozen = None

    def _drop_frozen(self) -> None:
        """Removes an open paragraph's frozen blocks (before anything else is rendered)."""
        if self._frozen is not None:
            self._remove_tail()

    def _remove_from(self, start: int) -> None:
        """Removes everything after position ``start`` (the end of a block)."""
        end = self._end()
        if end > start:
            cursor = QTextCursor(self._doc)
            pinned = (start > 0 or self._has_committed) and (
                self._doc.findBlock(start).length() == 1
            )
            if pinned:
                # Removing the separator after an empty block drops that block (Qt's
                # remove_block), formats and list membership with it; with a character in
                # it the block is kept and the rest merged into it.
                cursor.setPosition(start)
                cursor.insertText("\u2060")
                end += 1
            cursor.setPosition(start + 1 if pinned else start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            if pinned:
                cursor.setPosition(start)
                cursor.setPosition(start + 1, QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
        if start == 0 and not self._has_committed:
            # The tail used the document's first block: leave it as a fresh one would be.
            cursor = QTextCursor(self._doc)
            cursor.setBlockFormat(QTextBlockFormat())
            cursor.setBlockCharFormat(QTextCharFormat())
            self._fresh = True

    def _render_tail(self) -> None:
        if self._fence is not None:
            self._drop_frozen()
            if self._pending:
                content = strip_indent(self._pending, self._fence.indent)
                self._insert_code_line(self._fence, content, tail=True)
            return
        unit = self._unit
        if len(unit) >= 2 and "|" in unit[0] and _TABLE_DELIMITER.match(unit[1]):
            # A table: its complete rows, and the row being written as plain text below it.
            self._drop_frozen()
            self._insert_markdown("\n".join(unit), tail=True)
            self._partial_pos = self._end()
            self._insert_partial_line()
            return
        lines = [*unit, self._pending] if self._pending else unit
        if any(line.strip() for line in lines):
            scratch = self._parse("\n".join(lines), polished=False)
            if not self._render_paragraph(scratch):
                self._drop_frozen()
                polish(scratch, self._theme)
                self._insert_parsed(scratch, tail=True)
        else:
            self._drop_frozen()

    def _render_paragraph(self, scratch: QTextDocument) -> bool:
        """Renders the open unit if it is one plain paragraph: its frozen lines stay, the rest
        is rendered again, and the finished lines of that are frozen too. False otherwise."""
        block = plain_paragraph(scratch)
        if block is None:
            return False
        text = block.text().encode("utf-16-le")
        # As parsed: polishing all or part of it can leave different margins behind.
        parsed_format = QTextBlockFormat(block.blockFormat())
        frozen = self._frozen
        if frozen is not None:
            # The text before the frozen blocks' end is polished already, as it was.
            polish(scratch, self._theme, block.position() + frozen.piece_from)
            if (
                frozen.block_format != parsed_format
                or not text.startswith(frozen.text)
                or runs(block, frozen.piece_from, frozen.live_from) != frozen.runs
            ):
                self._drop_frozen()  # the paragraph's start renders differently now
                frozen = None
        if frozen is None:
            polish(scratch, self._theme)
            self._insert_parsed(scratch, tail=True)
            self._frozen = Frozen(
                self._tail_pos, 0, b"", 0, [], parsed_format, self._doc.textWidth()
            )
            return True
        length = len(text) // 2
        cut, frozen.cut = frozen.cut, None
        if cut is not None:
            at, cut_text, cut_runs = cut
            start = frozen.live_from
            if (
                at < length
                and text[2 * start : 2 * at] == cut_text
                and runs(block, start, at) == cut_runs
            ):
                self._insert_piece(scratch, block, start, at, last=False)
                frozen.live_pos = self._end()
                frozen.live_from, frozen.piece_from = at, start
                frozen.text = text[: 2 * at]
                frozen.runs = cut_runs
        self._insert_piece(scratch, block, frozen.live_from, length, last=True)
        return True

    def _insert_piece(
        self, scratch: QTextDocument, block: QTextBlock, start: int, end: int, last: bool
    ) -> None:
        """Appends the text of ``block`` from ``start`` to ``end`` as a block of its own."""
        fmt = piece_format(block, start, last)
        cursor = self._new_block(fmt, block.charFormat())
        cursor.insertFragment(copy_of(scratch, block, start, end))
        cursor.setBlockFormat(fmt)

    def _insert_partial_line(self) -> None:
        if self._pending.strip():
            cursor = self._new_block(QTextBlockFormat(), QTextCharFormat())
            cursor.insertText(self._pending.rstrip("\r"))

    def _new_block(
        self, block_format: QTextBlockFormat, char_format: QTextCharFormat
    ) -> QTextCursor:
        """A cursor in a new block at the end of the document (the first block if unused)."""
        cursor = QTextCursor(self._doc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if self._fresh:
            cursor.setBlockFormat(block_format)
            cursor.setBlockCharFormat(char_format)
            self._fresh = False
        else:
            cursor.insertBlock(block_format, char_format)
        return cursor

    def _insert_markdown(self, source: str, tail: bool = False) -> None:
        """Renders one unit of markdown at the end of the document."""
        self._insert_parsed(self._parse(source), tail)

    def _parse(self, source: str, polished: bool = True) -> QTextDocument:
        """One unit of markdown, parsed into the scratch document (and polished)."""
        if self._scratch is None:
            self._scratch = unlaid(SafeDocument())
        scratch = self._scratch
        scratch.setDefaultFont(self._doc.defaultFont())
        scratch.setMarkdown(source, _FEATURES)
        if polished:
            polish(scratch, self._theme)
        return scratch

    def _insert_parsed(self, scratch: QTextDocument, tail: bool) -> None:
        """Inserts the parsed unit at the end of the document."""
        at_start = self._fresh
        first = scratch.begin()
        # A table comes after an empty block, which can stay behind: the table then simply
        # follows the previous unit's last block.
        starts_with_frame = first.length() == 1 and (
            first.next().isValid()
            and QTextCursor(first.next()).currentFrame() != scratch.rootFrame()
        )
        if not at_start and not starts_with_frame:
            # Qt copies a fragment's first block format only when pasting at position 0; begin
            # the fragment with an empty block so that the unit's first block (heading, list
            # item) arrives as a whole new block, formats and list membership included.
            cursor = QTextCursor(scratch)
            cursor.insertBlock(first.blockFormat(), first.charFormat())
            cursor.setPosition(0)
            cursor.setBlockFormat(QTextBlockFormat())
            cursor.setBlockCharFormat(QTextCharFormat())
        start = 0 if at_start else self._end() + 1
        cursor = QTextCursor(self._doc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertFragment(QTextDocumentFragment(scratch))
        self._fresh = False
        if not tail:
            self._has_committed = True
        self._join_list(self._doc.findBlock(start))

    def _join_list(self, first: QTextBlock) -> None:
        """Joins a unit's leading list to the list just before it (one list, one numbering)."""
        if first.blockFormat().objectIndex() < 0:  # not in a list (and no None from textList)
            return
        new_list = first.textList()
        if new_list is None or new_list.format().indent() != 1:
            return
        previous = self._list_before(first)
        if previous is None or previous.format().style() != new_list.format().style():
            return
        index = new_list.objectIndex()
        blocks = []
        block = first
        while block.isValid():
            if block.blockFormat().objectIndex() == index:
                blocks.append(block)
            block = block.next()
        for block in blocks:
            previous.add(block)

    def _list_before(self, first: QTextBlock) -> QTextList | None:
        """The top-level list that the blocks before ``first`` belong to (nested content
        skipped), or None."""
        key = first.position()
        if self._merge_cache is not None and self._merge_cache[0] == key:
            return self._merge_cache[1]
        found = None
        block = first.previous()
        while block.isValid():
            text_list = block.textList() if block.blockFormat().objectIndex() >= 0 else None
            if text_list is not None:
                if text_list.format().indent() <= 1:
                    found = text_list
                    break
            elif block.blockFormat().indent() <= 0:
                break
            block = block.previous()
        # Only committed content lies before the first block of a unit, so this holds until
        # reset() (a streaming tail asks the same question on every update).
        self._merge_cache = (key, found)
        return found

    # -- fenced code --------------------------------------------------------------------------

    def _open_fence(self, opener: re.Match[str], indent: int, base: int) -> None:
        info = opener["info"].strip()
        language = info.split()[0].strip("{}.") if info else ""
        fence = Fence(
            char=opener["fence"][0],
            length=len(opener["fence"]),
            indent=indent,
            base=base,
            level=len(self._list_columns),
            language=language,
            index=len(self._fences),
        )
        if fence.level == 0:
            self._list_columns.clear()
        self._fences.append(fence)
        self._fence = fence
        self._insert_code_header(fence)
        self._set_tail_pos()

    def _code_block_format(self, fence: Fence, role: int) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setBackground(QBrush(self._theme.code_background))
        fmt.setIndent(fence.level)
        fmt.setProperty(CODE_ROLE_PROPERTY, role)
        if role == CODE_ROLE_LINE:
            # What Qt's importer sets too: toMarkdown() writes the fence back.
            fmt.setProperty(QTextFormat.Property.BlockCodeFence, fence.char)
            if fence.language:
                fmt.setProperty(QTextFormat.Property.BlockCodeLanguage, fence.language)
            fmt.setLeftMargin(6)
        else:
            fmt.setTopMargin(6)
            fmt.setLeftMargin(6)
        return fmt

    def _code_char_format(self) -> QTextCharFormat:
        return self._code_format

    def _insert_code_header(self, fence: Fence) -> None:
        label_format = QTextCharFormat()
        label_format.setForeground(QBrush(self._theme.muted))
        # Relative, like Qt's heading sizes: follows the view's font.
        label_format.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
        cursor = self._new_block(self._code_block_format(fence, CODE_ROLE_HEADER), label_format)
        if fence.language:
            cursor.insertText(fence.language + "   ", label_format)
        copy_format = QTextCharFormat(label_format)
        copy_format.setAnchor(True)
        copy_format.setAnchorHref(f"{COPY_CODE}:{fence.index}")
        copy_format.setForeground(QBrush(self._theme.link))
        copy_format.setToolTip(translate("Markdown", "Copy the code to the clipboard"))
        cursor.insertText(translate("Markdown", "Copy"), copy_format)
        self._has_committed = True

    def _insert_code_line(self, fence: Fence, content: str, tail: bool = False) -> None:
        char_format = self._code_char_format()
        cursor = self._new_block(self._code_block_format(fence, CODE_ROLE_LINE), char_format)
        start = cursor.position()
        if fence.code_start < 0 and not tail:
            fence.code_start = start
        if content:
            cursor.insertText(content, char_format)
            lexer = lexer_for(fence.language) if self._streaming else None
            if lexer is not None:
                # Colours while streaming, line by line; the fence's closing pass lexes the
                # whole block (multi-line strings and comments) and has the last word.
                highlight(self._doc, start, content, lexer, self._theme)
                fence.provisional = True

    def _close_fence(self) -> None:
        fence = self._fence
        assert fence is not None
        self._fence = None
        if fence.code_start < 0:
            # An empty fence still shows an (empty) code line under its header.
            fence.lines.append("")
            self._insert_code_line(fence, "")
            fence.lines.pop()
        last = self._doc.lastBlock()
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(6)
        QTextCursor(last).mergeBlockFormat(fmt)
        lexer = lexer_for(fence.language)
        if lexer is not None and fence.lines:
            if fence.provisional:
                cursor = QTextCursor(self._doc)
                cursor.setPosition(fence.code_start)
                cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(self._code_char_format())
            highlight(self._doc, fence.code_start, "\n".join(fence.lines), lexer, self._theme)
        self._set_tail_pos()
