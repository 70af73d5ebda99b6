"""How a message is drawn: a delegate that paints each one from a QTextDocument.

Rows not yet seen get an *estimated* height (cheap arithmetic on the text), rows on screen get a
real document (kept in a small LRU cache), and a streaming reply's document is extended with
only the new text (``MarkdownRenderer.append``). Actions on a message are drawn as links in its
footer; clicks on them become ``action_triggered(name, row)``.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QPainter,
    QPalette,
    QTextOption,
)
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from workbench.core.names import model_label
from workbench.qt.message_model import (
    FIGURES_SEPARATOR,
    MessageItem,
    MessageRoles,
    figures_parts,
)
from workbench.ui.render.code import palette_is_dark
from workbench.ui.render.markdown import MarkdownRenderer, SafeDocument, anchor_action

if TYPE_CHECKING:
    from workbench.ui.chat.view import ChatView

MARGIN = 10  # around each message
PAD = 10  # inside the bubble
GAP = 4  # between the parts of a message
CACHE_SIZE = 300  # rendered messages kept


@dataclass
class _Rendered:
    body: SafeDocument
    renderer: MarkdownRenderer | None  # None for plain text (the user's own words)
    reasoning: SafeDocument | None = None
    revision: int = -1
    width: int = -1
    finished: bool = False
    reasoning_len: int = 0
    # After a streaming append: where the document started to change (document y), so the view
    # repaints only from there down. None: repaint the whole message.
    dirty_y: float | None = None


@dataclass
class _Layout:
    height: int
    header: QRect
    toggle: QRect | None
    reasoning: QRect | None
    body: QRect
    notice: QRect | None
    footer: QRect
    actions: list[tuple[str, QRect]] = field(default_factory=list)
    # The reply's figures: beside the actions when they fit there, else on lines of their own
    # below them, wrapped between figures (a number is never cut).
    figures: list[tuple[QRect, str]] = field(default_factory=list)


def _exposed(painter: QPainter, widget: QWidget) -> QRect:
    """The part of ``widget`` that this paint event repaints, in the widget's coordinates.

    The paint engine's system clip is the event's region in the window's device pixels.
    """
    engine = painter.paintEngine()
    region = engine.systemClip() if engine is not None else None
    if region is None or region.isEmpty():
        return widget.rect()
    ratio = painter.device().devicePixelRatioF() or 1.0
    box = region.boundingRect()
    origin = widget.mapTo(widget.window(), QPoint(0, 0))
    logical = QRectF(box.x() / ratio, box.y() / ratio, box.width() / ratio, box.height() / ratio)
    return logical.translated(-origin.x(), -origin.y()).toAlignedRect().intersected(widget.rect())


class MessageDelegate(QStyledItemDelegate):
    """Paints messages and turns clicks on their links into ``action_triggered(name, row)``."""

    action_triggered = Signal(str, int)

    def __init__(self, view: ChatView) -> None:
        super().__init__(view)
        self.view = view
        self._cache: OrderedDict[int, _Rendered] = OrderedDict()
        self._relayout_pending: set[int] = set()

    # -- documents ----------------------------------------------------------------------------

    def _content_width(self) -> int:
        return max(120, self.view.viewport().width() - 2 * MARGIN - 2 * PAD)

    def rendered(self, item: MessageItem) -> _Rendered:
        r = self._cache.get(item.id)
        if r is None:
            doc = SafeDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(self.view.font())
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            doc.setDefaultTextOption(option)
            renderer = None
            if item.role == "assistant":
                renderer = MarkdownRenderer(doc, dark=palette_is_dark(self.view.palette()))
            r = _Rendered(body=doc, renderer=renderer)
            self._cache[item.id] = r
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(item.id)
        if r.revision != item.revision:
            self._update(r, item)
        width = self._content_width()
        if r.width != width:
            r.body.setTextWidth(width)
            if r.reasoning is not None:
                r.reasoning.setTextWidth(width)
            if r.renderer is not None and r.width >= 0:
                r.renderer.rewrap()  # an open paragraph's frozen lines end where they wrapped
            r.width = width
        return r

    def _update(self, r: _Rendered, item: MessageItem) -> None:
        r.dirty_y = None
        if r.renderer is None:
            if r.body.toPlainText() != item.content:
                r.body.setPlainText(item.content)
        else:
            done = r.renderer.text
            if item.content.startswith(done) and not r.finished:
                if len(item.content) > len(done):
                    r.dirty_y = self._append_tracking_change(r, item.content[len(done) :])
            elif item.streaming:
                # The text so far changed, not just grew (a blind compare pane masking a name
                # once it is complete): render it again as a stream that goes on.
                r.renderer.reset()
                r.renderer.append(item.content)
                r.finished = False
            else:
                r.renderer.set_text(item.content)
                r.finished = True
            if not item.streaming and not r.finished:
                r.renderer.finish()
                r.finished = True
        if item.reasoning and item.reasoning_open:
            if r.reasoning is None:
                r.reasoning = SafeDocument()
                r.reasoning.setDocumentMargin(0)
                font = QFont(self.view.font())
                font.setItalic(True)
                r.reasoning.setDefaultFont(font)
                r.reasoning.setTextWidth(self._content_width())
            if r.reasoning.toPlainText() != item.reasoning:
                r.reasoning.setPlainText(item.reasoning)
        elif r.reasoning is not None and not item.reasoning_open:
            r.reasoning = None
        if len(item.reasoning) != r.reasoning_len:  # the reasoning part moved: repaint it all
            r.reasoning_len = len(item.reasoning)
            r.dirty_y = None
        r.revision = item.revision

    @staticmethod
    def _append_tracking_change(r: _Rendered, text: str) -> float | None:
        """Append streamed text; return the document y where the change starts."""
        first: list[int] = []

        def changed(position: int, _removed: int, _added: int) -> None:
            first.append(position)

        r.body.contentsChange.connect(changed)
        try:
            r.renderer.append(text)
        finally:
            r.body.contentsChange.disconnect(changed)
        if not first:
            return None
        block = r.body.findBlock(min(first))
        # From the block before: re-rendering the open tail can change the spacing below it.
        if block.previous().isValid():
            block = block.previous()
        return r.body.documentLayout().blockBoundingRect(block).top()

    def forget(self) -> None:
        self._cache.clear()

    # -- geometry -----------------------------------------------------------------------------

    def _line(self) -> int:
        return QFontMetrics(self.view.font()).height()

    def _footer_parts(self, item: MessageItem) -> list[tuple[str, str]]:
        """(action name, label) links under a message, in order."""
        parts = [("copy", self.tr("Copy"))]
        if item.role == "user" and not self.view.busy:
            parts.append(("edit", self.tr("Edit")))
        if item.role == "assistant" and not self.view.busy and item.parent_id is not None:
            parts.append(("regenerate", self.tr("Regenerate")))
        if not item.streaming and item.state != "waiting":
            parts.append(("delete", self.tr("Delete")))
        if item.versions > 1:
            parts.append(("previous", "‹"))
            parts.append(("versions", f"{item.version}/{item.versions}"))
            parts.append(("next", "›"))
        allowed = self.view.allowed_actions
        if allowed is not None:
            parts = [p for p in parts if p[0] in allowed]
        return parts

    @staticmethod
    def _figure_rows(parts: list[str], width: int, fm: QFontMetrics) -> list[str]:
        """``parts`` packed into rows at most ``width`` wide, broken only between figures."""
        rows: list[str] = []
        pieces: list[tuple[str, str]] = []  # (what joins it to the piece before, text)
        for part in parts:
            if fm.horizontalAdvance(part) <= width:
                pieces.append((FIGURES_SEPARATOR, part))
            else:  # a figure wider than the message: between its words, never inside one
                words = part.split(" ")
                pieces.append((FIGURES_SEPARATOR, words[0]))
                pieces.extend((" ", word) for word in words[1:])
        for joiner, text in pieces:
            joined = rows[-1] + joiner + text if rows else text
            if rows and fm.horizontalAdvance(joined) <= width:
                rows[-1] = joined
            else:
                rows.append(fm.elidedText(text, Qt.TextElideMode.ElideRight, width))
        return rows

    def _notice(self, item: MessageItem) -> str:
        if item.state == "error":
            return item.error or self.tr("The reply failed.")
        if item.state == "cancelled":
            return self.tr("Stopped.")
        if item.state == "interrupted":
            return self.tr("This reply was interrupted; the text above is what was saved.")
        if item.state == "waiting":
            return self.tr("Waiting for the model to load; sent when it is ready.")
        return ""

    def layout(self, item: MessageItem, r: _Rendered | None, top: int, width: int) -> _Layout:
        line = self._line()
        x = MARGIN + PAD
        inner = max(120, width - 2 * MARGIN - 2 * PAD)
        y = top + MARGIN + PAD
        header = QRect(x, y, inner, line)
        y += line + GAP
        toggle = reasoning = None
        if item.reasoning:
            toggle = QRect(x, y, inner, line)
            y += line + GAP
            if item.reasoning_open:
                h = (
                    int(r.reasoning.size().height())
                    if r and r.reasoning
                    else self._estimate(item.reasoning, inner)
                )
                reasoning = QRect(x, y, inner, h)
                y += h + GAP
        body_h = (
            int(r.body.size().height()) if r is not None else self._estimate(item.content, inner)
        )
        body = QRect(x, y, inner, max(body_h, line if item.streaming else 0))
        y += body.height() + GAP
        notice = None
        text = self._notice(item)
        if text:
            fm = QFontMetrics(self.view.font())
            h = fm.boundingRect(QRect(0, 0, inner, 10_000), Qt.TextFlag.TextWordWrap, text).height()
            notice = QRect(x, y, inner, h)
            y += h + GAP
        footer = QRect(x, y, inner, line)
        actions = []
        fm = QFontMetrics(self.view.font())
        ax = x
        for name, label in self._footer_parts(item):
            w = fm.horizontalAdvance(label) + 4
            actions.append((name, QRect(ax, y, w, line)))
            ax += w + 12
        figures = []
        parts = figures_parts(item.stats)
        if parts:
            end = actions[-1][1].right() + 16 if actions else x
            beside = QRect(end, y, x + inner - end, line)
            text = FIGURES_SEPARATOR.join(parts)
            if fm.horizontalAdvance(text) <= beside.width():
                figures.append((beside, text))
            else:
                for row in self._figure_rows(parts, inner, fm):
                    y += line
                    figures.append((QRect(x, y, inner, line), row))
        y += line + PAD + MARGIN
        return _Layout(y - top, header, toggle, reasoning, body, notice, footer, actions, figures)

    def _estimate(self, text: str, width: int) -> int:
        """A cheap height guess for a message not yet rendered (no document is built)."""
        if not text:
            return 0
        fm = QFontMetrics(self.view.font())
        per_line = max(10, width // max(1, fm.averageCharWidth()))
        lines = sum(1 + len(part) // per_line for part in text.split("\n"))
        return lines * fm.lineSpacing()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        item: MessageItem = index.data(MessageRoles.Item)
        width = self.view.viewport().width()
        if item.streaming:
            return QSize(width, self.row_height(index, self.streaming_height(item)))
        cached = self._cache.get(item.id)
        r = cached if cached is not None and cached.revision == item.revision else None
        if r is not None and r.width != self._content_width():
            r = None
        return QSize(width, self.layout(item, r, 0, width).height)

    def streaming_height(self, item: MessageItem) -> int:
        """The exact height of a streaming message (it is on screen: its document is built)."""
        width = self.view.viewport().width()
        return self.layout(item, self.rendered(item), 0, width).height

    def row_height(self, index: QModelIndex, height: int) -> int:
        """The height the view lays a message out with, for a message ``height`` high.

        A streaming reply at the end of the list, once taller than the viewport, is given room
        to grow: its row is laid out taller than its text, in steps of a viewport, so that
        the lines it gains fit in the row already laid out. The view then only scrolls (moving
        the pixels on screen) and paints the new lines, instead of laying out the list again
        and repainting the whole viewport for every line; it keeps the room below the text out
        of scroll reach. (A shorter reply needs no scrolling, and room would make the scroll
        bar appear before the text needs it.)
        """
        item: MessageItem = index.data(MessageRoles.Item)
        viewport = self.view.viewport().height()
        if not item.streaming or index.row() != index.model().rowCount() - 1 or height <= viewport:
            return height
        step = max(4 * self._line(), viewport)
        return (height // step + 1) * step

    # -- painting -----------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        item: MessageItem = index.data(MessageRoles.Item)
        r = self.rendered(item)
        rect = option.rect
        lay = self.layout(item, r, rect.top(), rect.width())
        laid_out = self.row_height(index, lay.height)
        if laid_out != rect.height() and item.id not in self._relayout_pending:
            # The estimate was off: ask the view for a new layout, outside of painting.
            self._relayout_pending.add(item.id)
            QTimer.singleShot(0, lambda i=index: self._relayout(i))
        palette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bubble = QRectF(
            rect.left() + MARGIN,
            rect.top() + MARGIN,
            rect.width() - 2 * MARGIN,
            lay.height - 2 * MARGIN,
        )
        role_bg = (
            QPalette.ColorRole.AlternateBase if item.role == "user" else QPalette.ColorRole.Base
        )
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(role_bg))
        # Clip to what this paint event repaints (a few lines while a reply streams): the
        # antialiased bubble is then rasterised only there, with the same pixels as a full paint.
        painter.setClipRect(_exposed(painter, self.view.viewport()))
        painter.drawRoundedRect(bubble, 8, 8)
        if option.state & QStyle.StateFlag.State_HasFocus and self.view.hasFocus():
            pen = painter.pen()
            pen.setColor(palette.color(QPalette.ColorRole.Highlight))
            pen.setWidth(2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(bubble, 8, 8)

        text_color = palette.color(QPalette.ColorRole.Text)
        dim = palette.color(QPalette.ColorRole.PlaceholderText)
        link = palette.color(QPalette.ColorRole.Link)
        bold = QFont(self.view.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_color)
        who = (
            self.tr("You")
            if item.role == "user"
            else (model_label(item.model) if item.model else self.tr("Assistant"))
        )
        if item.role == "system":
            who = self.tr("System prompt")
        painter.drawText(
            lay.header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, who
        )
        painter.setFont(self.view.font())

        if lay.toggle is not None:
            painter.setPen(link)
            painter.drawText(lay.toggle, Qt.AlignmentFlag.AlignLeft, self._toggle_text(item))
        if lay.reasoning is not None and r.reasoning is not None:
            self._draw_doc(painter, r.reasoning, lay.reasoning, dim)
        self._draw_doc(painter, r.body, lay.body, text_color)
        if lay.notice is not None:
            if item.state == "error":  # a red that reads on both light and dark backgrounds
                color = QColor("#ff8a80") if palette_is_dark(palette) else QColor("#b00020")
            else:
                color = dim
            painter.setPen(color)
            painter.drawText(lay.notice, Qt.TextFlag.TextWordWrap, self._notice(item))

        painter.setPen(link)
        labels = dict(self._footer_parts(item))
        for name, area in lay.actions:
            if name == "versions":
                painter.setPen(dim)
            painter.drawText(
                area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, labels[name]
            )
            painter.setPen(link)
        painter.setPen(dim)
        for area, text in lay.figures:
            painter.drawText(
                area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text
            )
        painter.restore()

    def _toggle_text(self, item: MessageItem) -> str:
        arrow = "▾" if item.reasoning_open else "▸"
        if item.streaming and not item.content:
            return f"{arrow} " + self.tr("Thinking…")
        seconds = (item.stats or {}).get("reasoning_s")
        if seconds:
            return f"{arrow} " + self.tr("Thought for {seconds} s").format(
                seconds=self.view.locale().toString(max(1, round(seconds)))
            )
        return f"{arrow} " + self.tr("Reasoning")

    def _draw_doc(self, painter: QPainter, doc: SafeDocument, area: QRect, color) -> None:
        # Only the part being repainted: painting a long reply must not cost its length.
        visible = area.intersected(_exposed(painter, self.view.viewport()))
        if visible.isEmpty():
            return
        painter.save()
        painter.translate(area.topLeft())
        clip = QRectF(visible.translated(-area.topLeft()))
        painter.setClipRect(clip)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.clip = clip
        ctx.palette.setColor(QPalette.ColorRole.Text, color)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def dirty_rect(self, item: MessageItem, rect: QRect, bottom: int) -> QRect | None:
        """The part of a streaming message's row that its last append changed, if known.

        ``bottom`` is how far down the row the change can reach (the message's height before
        or after the append, whichever is larger).
        """
        r = self._cache.get(item.id)
        if r is None or r.dirty_y is None or r.revision != item.revision:
            return None
        body = self.layout(item, r, rect.top(), rect.width()).body
        top = max(rect.top(), body.top() + int(r.dirty_y) - 2)
        bottom = min(rect.bottom(), rect.top() + bottom)
        return QRect(rect.left(), top, rect.width(), max(0, bottom - top + 1))

    def _relayout(self, index: QModelIndex) -> None:
        item = index.data(MessageRoles.Item) if index.isValid() else None
        if item is not None:
            self._relayout_pending.discard(item.id)
            self.sizeHintChanged.emit(index)

    # -- clicks -------------------------------------------------------------------------------

    def editorEvent(
        self, event: QEvent, model, option: QStyleOptionViewItem, index: QModelIndex
    ) -> bool:
        if (
            event.type() != QEvent.Type.MouseButtonRelease
            or event.button() != Qt.MouseButton.LeftButton
        ):
            return False
        item: MessageItem = index.data(MessageRoles.Item)
        r = self.rendered(item)
        lay = self.layout(item, r, option.rect.top(), option.rect.width())
        pos = event.position().toPoint()
        for name, area in lay.actions:
            if area.adjusted(-4, -2, 4, 2).contains(pos):
                if name != "versions":
                    self.action_triggered.emit(name, index.row())
                return True
        if lay.toggle is not None and lay.toggle.contains(pos):
            self.action_triggered.emit("toggle-reasoning", index.row())
            return True
        if lay.body.contains(pos):
            local = QPointF(pos - lay.body.topLeft())
            href = r.body.documentLayout().anchorAt(local)
            if href:
                self._open_anchor(href, r)
                return True
        return False

    def _open_anchor(self, href: str, r: _Rendered) -> None:
        action = anchor_action(href)
        if action is not None and action[0] == "copy-code" and r.renderer is not None:
            blocks = r.renderer.code_blocks
            if 0 <= action[1] < len(blocks):
                QGuiApplication.clipboard().setText(blocks[action[1]])
                self.view.notice_shown.emit(self.tr("Code copied."))
            return
        url = QUrl(href)
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)  # only on a click, never on render
