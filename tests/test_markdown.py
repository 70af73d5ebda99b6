"""Markdown rendering of chat messages: what the document shows, streaming, safety, cost."""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPainter,
    QPalette,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from workbench.ui.render.code import palette_is_dark
from workbench.ui.render.markdown import (
    MarkdownRenderer,
    SafeDocument,
    anchor_action,
)

REPLY = """\
# Reading big files

Intro with **bold**, *italic*, ~~gone~~, `inline code` and a [link](https://example.com/docs).
A second line of the same paragraph, see <https://auto.example.org>.

## Steps

1. Install:

   ```bash
   pip install polars
   ```

2. Run it
   - nested one
   - nested two
3. Done

- loose a

- loose b

| Approach | Memory | Speed |
|----------|-------:|:-----:|
| pandas   | high   | ok    |
| polars   | low    | fast  |

```python
def count(path: str) -> int:
    \"\"\"Counts lines.\"\"\"
    with open(path) as f:  # a comment
        return sum(1 for _ in f)
```

> **Note:** quoted text.

中文段落，包含一些汉字和标点。😀 👩‍💻 emoji at the end.

---

~~~
tilde fence with ``` inside
~~~

Last paragraph without a trailing newline"""


def make_renderer(dark: bool = False) -> tuple[SafeDocument, MarkdownRenderer]:
    doc = SafeDocument()
    return doc, MarkdownRenderer(doc, dark=dark)


def blocks(doc: QTextDocument) -> list[QTextBlock]:
    result = []
    block = doc.begin()
    while block.isValid():
        result.append(block)
        block = block.next()
    return result


def block_with(doc: QTextDocument, text: str) -> QTextBlock:
    for block in blocks(doc):
        if text in block.text():
            return block
    raise AssertionError(f"no block contains {text!r}")


def fragments(block: QTextBlock) -> list[tuple[str, object]]:
    result = []
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        result.append((fragment.text(), fragment.charFormat()))
        it += 1
    return result


def find(doc: QTextDocument, text: str, start: int = 0) -> int:
    """The document position of ``text`` (UTF-16 units, unlike Python string indices)."""
    cursor = doc.find(text, start, QTextDocument.FindFlag.FindCaseSensitively)
    return cursor.selectionStart() if not cursor.isNull() else -1


def char_format_at(doc: QTextDocument, text: str):
    position = find(doc, text)
    assert position >= 0, text
    cursor = QTextCursor(doc)
    cursor.setPosition(position + 1)
    return cursor.charFormat()


def point_of(doc: QTextDocument, position: int) -> QPointF:
    """Where the character at ``position`` is drawn, in document coordinates."""
    block = doc.findBlock(position)
    offset = position - block.position()
    line = block.layout().lineForTextPosition(offset)
    x = line.cursorToX(offset)
    x = x[0] if isinstance(x, tuple) else x
    rect = doc.documentLayout().blockBoundingRect(block)
    return QPointF(rect.x() + x + 2, rect.y() + line.y() + line.height() / 2)


def signature(doc: QTextDocument) -> list[tuple]:
    """Everything the view shows, block by block (list objects numbered by appearance)."""
    lists: dict[int, int] = {}
    rows = []
    for block in blocks(doc):
        fmt = block.blockFormat()
        text_list = block.textList() if fmt.objectIndex() >= 0 else None
        list_info = None
        if text_list is not None:
            list_id = lists.setdefault(text_list.objectIndex(), len(lists))
            list_info = (list_id, text_list.format().style(), text_list.itemNumber(block))
        table = QTextCursor(block).currentTable()
        runs = tuple(
            (
                text,
                cf.fontWeight(),
                cf.fontItalic(),
                cf.fontStrikeOut(),
                cf.fontFixedPitch(),
                cf.anchorHref(),
                cf.foreground().color().name() if cf.foreground().style().value else "",
            )
            for text, cf in fragments(block)
        )
        rows.append(
            (
                block.text(),
                fmt.headingLevel(),
                list_info,
                fmt.indent(),
                fmt.stringProperty(QTextFormat.Property.BlockCodeLanguage),
                fmt.hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth),
                table is not None,
                runs,
            )
        )
    return rows


# -- what is rendered ------------------------------------------------------------------------


def test_headings_lists_emphasis_and_links(qapp):
    doc, renderer = make_renderer()
    renderer.set_text(REPLY)

    assert block_with(doc, "Reading big files").blockFormat().headingLevel() == 1
    assert block_with(doc, "Steps").blockFormat().headingLevel() == 2
    assert block_with(doc, "Intro with").blockFormat().headingLevel() == 0

    assert char_format_at(doc, "bold").fontWeight() >= QFont.Weight.Bold
    assert char_format_at(doc, "italic").fontItalic()
    assert char_format_at(doc, "gone").fontStrikeOut()
    assert char_format_at(doc, "inline code").fontFixedPitch()
    link = char_format_at(doc, "link")
    assert link.isAnchor() and link.anchorHref() == "https://example.com/docs"
    assert char_format_at(doc, "auto.example").anchorHref() == "https://auto.example.org"

    install, run, done = (block_with(doc, t) for t in ("Install:", "Run it", "Done"))
    numbered = install.textList()
    assert numbered is not None
    assert numbered.format().style() == numbered.format().Style.ListDecimal
    # the code block between items 1 and 2 does not restart the numbering
    assert [numbered.itemText(b) for b in (install, run, done)] == ["1.", "2.", "3."]
    nested = block_with(doc, "nested one").textList()
    assert nested.format().indent() == 2 and nested.count() == 2
    loose = block_with(doc, "loose a").textList()
    assert loose.count() == 2 and loose.format().style() == loose.format().Style.ListDisc

    quote = block_with(doc, "quoted text")
    assert quote.blockFormat().indent() > 0 or quote.blockFormat().leftMargin() > 0
    assert any(
        b.blockFormat().hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth)
        for b in blocks(doc)
    )
    assert "中文段落，包含一些汉字和标点。😀 👩‍💻 emoji at the end." in doc.toPlainText()
    assert doc.toPlainText().endswith("Last paragraph without a trailing newline")


def test_gfm_table_becomes_a_qtexttable(qapp):
    doc, renderer = make_renderer()
    renderer.set_text(REPLY)
    tables = [frame for frame in doc.rootFrame().childFrames() if isinstance(frame, QTextTable)]
    assert len(tables) == 1
    table = tables[0]
    assert (table.rows(), table.columns()) == (3, 3)
    assert table.cellAt(0, 0).firstCursorPosition().block().text() == "Approach"
    assert table.cellAt(2, 2).firstCursorPosition().block().text() == "fast"


def test_link_anchor_survives_layout(qapp):
    doc, renderer = make_renderer()
    renderer.set_text("Read [the docs](https://example.com/docs) first.")
    doc.setTextWidth(600)
    position = find(doc, "the docs") + 2
    assert doc.documentLayout().anchorAt(point_of(doc, position)) == "https://example.com/docs"
    assert doc.documentLayout().anchorAt(point_of(doc, 1)) == ""


@pytest.mark.parametrize("level", [1, 2, 3, 6])
def test_bold_or_italic_inside_a_heading_keeps_the_heading_size(qapp, level):
    """Qt's importer drops the heading's size after the first span; the line must not shrink."""
    hashes = "#" * level
    doc, renderer = make_renderer()
    renderer.set_text(f"{hashes} Big **bold** words, *slanted* `code` [a link](https://x.org) end")
    plain_doc, plain = make_renderer()
    plain.set_text(f"{hashes} Big bold words")
    for d in (doc, plain_doc):
        d.setTextWidth(2000)
        d.size()  # lays the documents out
    heading = block_with(doc, "Big bold words")
    size = QTextFormat.Property.FontSizeAdjustment
    expected = fragments(block_with(plain_doc, "Big bold words"))[0][1].intProperty(size)
    for text, char_format in fragments(heading):
        assert char_format.intProperty(size) == expected, text
        assert char_format.fontWeight() >= QFont.Weight.Bold, text
    assert char_format_at(doc, "slanted").fontItalic()
    assert char_format_at(doc, "code").fontFixedPitch()
    assert char_format_at(doc, "a link").anchorHref() == "https://x.org"
    # As laid out: "Big bold words" is as wide as in a heading with no span at all.
    start, length = find(doc, "Big bold words"), len("Big bold words")
    line = heading.layout().lineAt(0)
    width = line.cursorToX(start + length - heading.position())[0] - line.cursorToX(0)[0]
    plain_line = block_with(plain_doc, "Big bold words").layout().lineAt(0)
    assert width == pytest.approx(plain_line.naturalTextWidth(), abs=1)


def test_a_heading_that_starts_with_a_span_keeps_its_size(qapp):
    doc, renderer = make_renderer()
    renderer.set_text("## **Bold** first\n\n## Plain first")
    size = QTextFormat.Property.FontSizeAdjustment
    plain = fragments(block_with(doc, "Plain first"))[0][1].intProperty(size)
    assert plain > 0
    assert {cf.intProperty(size) for _, cf in fragments(block_with(doc, "Bold first"))} == {plain}


def test_html_is_shown_as_text(qapp):
    doc, renderer = make_renderer()
    renderer.set_text('Use a <div> here.\n\n<img src="http://evil.example/p.png">\n')
    assert "Use a <div> here." in doc.toPlainText()
    assert '<img src="http://evil.example/p.png">' in doc.toPlainText()


def test_crlf_and_plain_text(qapp):
    doc, renderer = make_renderer()
    renderer.set_text("# Title\r\n\r\nline one\r\nline two\r\n\r\n```\r\ncode\r\n```\r\n")
    plain = doc.toPlainText()
    assert "\r" not in plain
    assert block_with(doc, "Title").blockFormat().headingLevel() == 1
    assert "line one line two" in plain
    assert renderer.code_blocks == ["code"]


def test_ordered_list_numbering_continues_across_items(qapp):
    doc, renderer = make_renderer()
    renderer.set_text("1. one\n1. two\n1. three\n\n5. five\n6. six\n")
    items = [block_with(doc, t) for t in ("one", "two", "three")]
    text_list = items[0].textList()
    assert [text_list.itemText(b) for b in items] == ["1.", "2.", "3."]
    # a blank line between items keeps one (loose) list, as in CommonMark
    assert block_with(doc, "five").textList().itemText(block_with(doc, "five")) == "4."


# -- code blocks -----------------------------------------------------------------------------

PYTHON = """\
```python
import os


def main(argv: list[str]) -> int:
    \"\"\"Prints the home directory.\"\"\"
    print(os.environ.get("HOME", "?"), 42)  # comment
    return 0
```
"""


def code_lines(doc: QTextDocument, language: str) -> list[QTextBlock]:
    prop = QTextFormat.Property.BlockCodeLanguage
    return [b for b in blocks(doc) if b.blockFormat().stringProperty(prop) == language]


def foregrounds(block_list: list[QTextBlock]) -> set[str]:
    return {
        cf.foreground().color().name()
        for block in block_list
        for text, cf in fragments(block)
        if text.strip() and cf.foreground().style().value
    }


def test_code_block_is_monospace_and_highlighted(qapp):
    doc, renderer = make_renderer()
    renderer.set_text("Some code:\n\n" + PYTHON)
    lines = code_lines(doc, "python")
    assert [b.text() for b in lines] == PYTHON.split("\n")[1:-2]
    for block in lines:
        assert block.blockFormat().background().style().value  # a code background
        for text, cf in fragments(block):
            assert cf.fontFixedPitch(), text
    assert len(foregrounds(lines)) >= 2
    assert renderer.code_blocks == ["\n".join(PYTHON.split("\n")[1:-2])]


def test_light_and_dark_colours_differ(qapp):
    light_doc, light = make_renderer(dark=False)
    light.set_text(PYTHON)
    dark_doc, dark = make_renderer(dark=True)
    dark.set_text(PYTHON)
    light_colours = foregrounds(code_lines(light_doc, "python"))
    dark_colours = foregrounds(code_lines(dark_doc, "python"))
    assert len(dark_colours) >= 2
    assert light_colours != dark_colours
    # dark colours are light enough to read on a dark background, and the other way round
    assert statistics.fmean(QColor(c).lightness() for c in dark_colours) > 110
    assert statistics.fmean(QColor(c).lightness() for c in light_colours) < 140

    light.set_dark(True)  # what the view calls when the palette changes
    assert signature(light_doc) == signature(dark_doc)
    assert light.dark


def test_unknown_or_missing_language_is_plain_monospace(qapp):
    doc, renderer = make_renderer()
    renderer.set_text("```nosuchlanguage\nif x: y = 'z'\n```\n\n```\nplain = 1\n```\n")
    for text in ("if x: y = 'z'", "plain = 1"):
        (_, cf), *rest = fragments(block_with(doc, text))
        assert not rest and cf.fontFixedPitch()
        assert not cf.foreground().style().value
    assert renderer.code_blocks == ["if x: y = 'z'", "plain = 1"]


def test_copy_anchors_map_to_code_blocks(qapp):
    doc, renderer = make_renderer()
    renderer.set_text(REPLY)
    doc.setTextWidth(600)
    assert renderer.code_blocks == [
        "pip install polars",
        'def count(path: str) -> int:\n    """Counts lines."""\n'
        "    with open(path) as f:  # a comment\n        return sum(1 for _ in f)",
        "tilde fence with ``` inside",
    ]
    hrefs = []
    found = find(doc, "Copy")
    first = found
    while found >= 0:
        href = doc.documentLayout().anchorAt(point_of(doc, found + 1))
        if href:
            hrefs.append(href)
        found = find(doc, "Copy", found + 1)
    assert hrefs == ["copy-code:0", "copy-code:1", "copy-code:2"]
    assert [anchor_action(h) for h in hrefs] == [("copy-code", i) for i in range(3)]
    # the anchor line sits right above its code block
    header = doc.findBlock(first)
    assert header.next().text() == "pip install polars"


def test_anchor_action():
    assert anchor_action("copy-code:3") == ("copy-code", 3)
    assert anchor_action("copy-code:0") == ("copy-code", 0)
    for href in (
        "https://example.com",
        "copy-code:",
        "copy-code:x",
        "copy-code:-1",
        "copy-code:٣",
        "copy-code",
        "",
        "mailto:a@b.c",
    ):
        assert anchor_action(href) is None, href


def test_open_fence_looks_like_code_while_streaming(qapp):
    doc, renderer = make_renderer()
    renderer.append("Intro\n\n```python\nx = *not emphasis*\ny = [")
    for text in ("x = *not emphasis*", "y = ["):
        for _, cf in fragments(block_with(doc, text)):
            assert cf.fontFixedPitch()
    assert renderer.code_blocks == ["x = *not emphasis*"]
    # lines are coloured as they arrive, not only when the fence closes
    assert len(foregrounds([block_with(doc, "x = *not emphasis*")])) >= 2
    renderer.append("1]\n```\nafter")
    assert renderer.code_blocks == ["x = *not emphasis*\ny = [1]"]
    assert len(foregrounds(code_lines(doc, "python"))) >= 2  # highlighted once closed


def test_unclosed_fence_renders_as_code_after_finish(qapp):
    doc, renderer = make_renderer()
    for chunk in ("Here:\n\n``", "`python\ndef f():\n", "    return 'x'"):
        renderer.append(chunk)
    renderer.finish()
    lines = code_lines(doc, "python")
    assert [b.text() for b in lines] == ["def f():", "    return 'x'"]
    assert all(cf.fontFixedPitch() for b in lines for _, cf in fragments(b))
    assert len(foregrounds(lines)) >= 2
    assert renderer.code_blocks == ["def f():\n    return 'x'"]


# -- streaming -------------------------------------------------------------------------------

STREAM_CASES = [
    REPLY,
    REPLY.replace("\n", "\r\n"),
    "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nafter the table",
    "```js\nlet a = `x`;\n\n\nlet b = 2;\n````\n\n- item\n- item two\n\n```\nunclosed\n\n",
    "---\n\n* * *\n\n- a\n- b\n\n  continued\n- c\n\nSetext\n======\n\n> quote\n> more\n",
    "# H\n## H2\ntext right after\n1) first\n2) second\n\n   ```\n   nested\n   ```\n3) third",
    "**bold that never closes\n\n中文😀👩‍💻 text\n\n    indented code\n\n    more\n\nend\n\n\n",
    "",
    "\n\n\n",
    "```",
    "plain",
]


def chunkings(text: str, rng: random.Random, count: int) -> list[list[str]]:
    """Random ways to cut ``text``, plus cuts at every awkward place (fences, CRLF, rows)."""
    awkward = [
        i
        for i in range(1, len(text))
        if text[i - 1 : i + 1] in ("``", "\r\n", "|\n", "\n|", "\n-", "- ", "\n1", "\u200d👩")
        or text[i - 1] == "\n"
    ]
    result = [[text], list(text), [text[:i] for i in [0]] + [text]]
    if awkward:
        cuts = sorted(set(awkward))
        result.append([text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)])
    for _ in range(count):
        pieces, i = [], 0
        while i < len(text):
            n = rng.choice((1, 2, 3, rng.randint(1, 12), rng.randint(1, 40)))
            if awkward and rng.random() < 0.3:
                nxt = min((a for a in awkward if a > i), default=len(text))
                n = max(1, nxt - i)
            pieces.append(text[i : i + n])
            i += n
        result.append(pieces)
    return result


@pytest.mark.parametrize("case", range(len(STREAM_CASES)))
def test_streaming_in_any_chunks_equals_set_text(qapp, case):
    text = STREAM_CASES[case]
    expected_doc, expected = make_renderer()
    expected.set_text(text)
    want = signature(expected_doc)
    want_plain = expected_doc.toPlainText()
    rng = random.Random(case)
    doc, renderer = make_renderer()
    doc.setTextWidth(500)  # layout on, like in the view
    for pieces in chunkings(text, rng, count=25 if len(text) > 200 else 60):
        renderer.reset()
        for piece in pieces:
            renderer.append(piece)
            doc.documentLayout().documentSize()
        renderer.finish()
        assert renderer.text == text
        assert doc.toPlainText() == want_plain, pieces
        assert signature(doc) == want, pieces
        assert renderer.code_blocks == expected.code_blocks


def test_table_rows_appear_as_they_stream(qapp):
    doc, renderer = make_renderer()
    renderer.append("| name | n |\n|---|--:|\n| one | 1 |\n| two | 2 |\n| thr")
    tables = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert len(tables) == 1 and tables[0].rows() == 3
    assert doc.toPlainText().endswith("| thr")  # the row being written, shown as it is
    renderer.append("ee | 3 |\n")
    tables = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert tables[0].rows() == 4 and "| thr" not in doc.toPlainText()
    renderer.finish()
    tables = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert tables[0].cellAt(3, 0).firstCursorPosition().block().text() == "three"


def test_text_reset_and_append_after_finish(qapp):
    doc, renderer = make_renderer()
    renderer.append("Hello ")
    renderer.append("**world**")
    assert renderer.text == "Hello **world**"
    assert not renderer.finished
    renderer.finish()
    renderer.finish()  # idempotent
    assert renderer.finished and doc.toPlainText() == "Hello world"
    with pytest.raises(RuntimeError):
        renderer.append("more")
    renderer.reset()
    assert renderer.text == "" and doc.toPlainText() == "" and renderer.code_blocks == []
    renderer.append("again")
    assert doc.toPlainText() == "again"


def growing_reply(updates: int, delta: int) -> str:
    unit = textwrap.dedent(
        """\
        A paragraph with **bold**, `code` and a [link](https://example.com) that goes on for a
        while, the way a model's explanation does, before it reaches its point.

        - a list item with *emphasis*
        - another item

        | a | b |
        |---|---|
        | 1 | 2 |

        ```python
        def f(x):
            return x * 2
        ```

        """
    )
    return (unit * (updates * delta // len(unit) + 1))[: updates * delta]


def test_update_cost_does_not_grow_with_the_reply(qapp):
    """Structural O(1)-per-update check, not a timing target: generous relative bound."""
    updates, delta = 4000, 3
    text = growing_reply(updates, delta)
    doc, renderer = make_renderer()
    doc.setTextWidth(700)
    layout = doc.documentLayout()
    times = []
    for i in range(updates):
        t0 = time.perf_counter()
        renderer.append(text[i * delta : (i + 1) * delta])
        layout.documentSize()
        times.append(time.perf_counter() - t0)
    renderer.finish()
    quarter = updates // 4
    first, last = statistics.median(times[:quarter]), statistics.median(times[-quarter:])
    assert last < 3 * first, (first, last)
    assert renderer.text == text


# -- safety ----------------------------------------------------------------------------------

SCHEMES = [
    "http://evil.example/pixel.png",
    "https://evil.example/pixel.png",
    "ftp://evil.example/pixel.png",
    "file:///etc/passwd",
    "/etc/passwd",
    "relative/picture.png",
    "qrc:/qt-project.org/styles/commonstyle/images/file-16.png",
    "data:image/png;base64,iVBORw0KGgo=",
    "gopher://evil.example/x",
]


@pytest.mark.parametrize("url", SCHEMES)
def test_safe_document_refuses_every_resource(qapp, url):
    doc = SafeDocument()
    image = doc.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(url))
    # An empty image, not None: on None Qt reads the image file itself (QImageReader).
    assert isinstance(image, QImage) and image.isNull()
    for kind in (
        QTextDocument.ResourceType.StyleSheetResource,
        QTextDocument.ResourceType.HtmlResource,
        QTextDocument.ResourceType.MarkdownResource,
        QTextDocument.ResourceType.UserResource,
    ):
        assert doc.loadResource(kind, QUrl(url)) is None
    assert doc.loadResource(int(QTextDocument.ResourceType.ImageResource.value), QUrl(url)).isNull()


@pytest.fixture
def red_png(tmp_path) -> Path:
    path = tmp_path / "red.png"
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(path))
    return path


def test_safe_document_does_not_read_local_images(qapp, red_png):
    html = f'<p>x</p><img src="{red_png.as_uri()}"><img src="{red_png}">'
    control = QTextDocument()  # proves the check would see a loaded image
    control.setHtml(html)
    control.setTextWidth(400)
    assert control.documentLayout().documentSize().height() >= 64

    doc = SafeDocument()
    doc.setHtml(html)
    doc.setTextWidth(400)
    assert doc.documentLayout().documentSize().height() < 64


class RecordingDocument(SafeDocument):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[int, str, object]] = []

    def loadResource(self, type, name):
        result = super().loadResource(type, name)
        self.requests.append((int(getattr(type, "value", type)), name.toString(), result))
        return result


def test_markdown_images_are_never_fetched(qapp, red_png):
    doc = RecordingDocument()
    renderer = MarkdownRenderer(doc)
    source = (
        "Look: ![pixel](http://evil.example/pixel.png) and ![](file://"
        f"{red_png}) and ![local]({red_png})\n\n| ![t](https://evil.example/t.gif) |\n|---|\n"
    )
    for i in range(0, len(source), 7):
        renderer.append(source[i : i + 7])
        doc.setTextWidth(500)
        doc.documentLayout().documentSize()
    renderer.finish()
    doc.documentLayout().documentSize()
    image = QImage(500, 200, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    doc.drawContents(painter)
    painter.end()

    # no image objects reach the document; each becomes a link with its alt text
    for block in blocks(doc):
        for _, cf in fragments(block):
            assert not cf.isImageFormat()
    assert char_format_at(doc, "pixel").anchorHref() == "http://evil.example/pixel.png"
    assert char_format_at(doc, "local").anchorHref() == str(red_png)
    assert doc.documentLayout().documentSize().height() < 64 * 2
    # and if anything asked, it got nothing
    for _, url, result in doc.requests:
        assert result is None or (isinstance(result, QImage) and result.isNull()), url


def test_no_network_module_is_ever_loaded(tmp_path):
    script = textwrap.dedent(
        """
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from workbench.ui.render.markdown import MarkdownRenderer, SafeDocument
        doc = SafeDocument()
        renderer = MarkdownRenderer(doc)
        for piece in ["![x](http://evil.example/p.png) [l](https://e.example) ",
                      "<img src='http://evil.example/q.png'>\\n\\n```python\\nx = 1\\n```\\n"]:
            renderer.append(piece)
        renderer.finish()
        doc.setTextWidth(400)
        doc.documentLayout().documentSize()
        assert not [m for m in sys.modules if "QtNetwork" in m], sys.modules.keys()
        if os.path.exists("/proc/self/maps"):
            with open("/proc/self/maps") as maps:
                assert "Qt6Network" not in maps.read()
        print("clean")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr
    assert "clean" in result.stdout


def test_long_streams_do_not_exhaust_none(qapp):
    """PySide6 6.12 on CPython < 3.12 drops a reference to None on each void call."""
    doc, renderer = make_renderer()
    for _ in range(5_000):  # more than None's whole reference count at start-up on 3.11
        QTextCursor(doc).clearSelection()
    renderer.set_text(REPLY)
    assert sys.getrefcount(None) > 1000


# -- preview ---------------------------------------------------------------------------------


def test_palette_is_dark(qapp):
    assert palette_is_dark(QPalette(QColor("#202020")))
    assert not palette_is_dark(QPalette(QColor("#f0f0f0")))


# -- a long open paragraph ----------------------------------------------------------------------

_SENTENCES = [
    f"Sentence {i} says a little more, with **bold**, `code`, a [link](https://x.org/{i}), "
    f"中文 and 😀 in it."
    if i % 5 == 0
    else f"Sentence {i} of a paragraph that goes on and on."
    for i in range(80)
]
LONG_PARAGRAPHS = {
    "formatted": " ".join(_SENTENCES),
    "bold across many lines": "Start **" + " ".join(_SENTENCES[1:40:2]) + " ends** here.",
    "a growing address": "See https://example.com/" + "abcdefgh" * 60 + " and " + _SENTENCES[1],
    "soft line breaks": "\n".join(_SENTENCES[:50]),
    "soft line breaks after a paragraph": "A first paragraph.\n\n" + "\n".join(_SENTENCES[:50]),
    "then a heading": " ".join(_SENTENCES[1:40:2]) + "\n======\n",
    "then a list": " ".join(_SENTENCES[1:40:2]) + "\n- an item\n- another",
}


def laid_out_lines(doc: QTextDocument) -> list[tuple[bytes, float]]:
    """Every line as laid out: its text (UTF-16) and where it is drawn."""
    result = []
    for block in blocks(doc):
        text = block.text().encode("utf-16-le")
        top = doc.documentLayout().blockBoundingRect(block).top()
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            start, end = line.textStart(), line.textStart() + line.textLength()
            result.append((text[2 * start : 2 * end], top + line.y()))
    return result


@pytest.mark.parametrize("name", list(LONG_PARAGRAPHS))
def test_a_long_open_paragraph_is_laid_out_again_only_at_its_end(qapp, name):
    """While a long paragraph streams, an update re-renders only its last lines (the finished
    ones are kept in blocks of their own); the lines stay where the whole paragraph puts them,
    and once it ends it is one block, as the whole document renders it."""
    text = LONG_PARAGRAPHS[name]
    rng = random.Random(7)
    doc, renderer = make_renderer()
    doc.setTextWidth(400)
    changed: list[int] = []
    doc.contentsChange.connect(lambda _position, _removed, added: changed.append(added))
    late_changes: list[int] = []
    compared = most_blocks = i = 0
    while i < len(text):
        n = rng.randint(1, 40)
        changed.clear()
        renderer.append(text[i : i + n])
        i += n
        doc.documentLayout().documentSize()  # laid out, as the view does
        most_blocks = max(most_blocks, doc.blockCount())
        if i > len(text) * 3 // 4:
            late_changes.append(sum(changed))
        if rng.random() < 0.1 and "\n=" not in text[i - n - 2 : i + 2]:
            whole, whole_renderer = make_renderer()
            whole.setTextWidth(400)
            whole_renderer.set_text(renderer.text)
            assert laid_out_lines(doc) == laid_out_lines(whole), renderer.text
            assert doc.size() == whole.size()
            compared += 1
    assert compared > 3
    if name in ("formatted", "soft line breaks", "soft line breaks after a paragraph"):
        assert most_blocks > 4  # cut into pieces while it streamed
        # An update touches the paragraph's last lines, not the whole of it.
        assert max(late_changes) < 1200 < len(text) * 3 // 4
    renderer.finish()
    expected_doc, expected = make_renderer()
    expected.set_text(text)
    assert signature(doc) == signature(expected_doc)
    assert doc.toPlainText() == expected_doc.toPlainText()


def test_rewrap_after_a_width_change_lays_the_open_paragraph_out_whole(qapp):
    doc, renderer = make_renderer()
    doc.setTextWidth(400)
    text = LONG_PARAGRAPHS["formatted"]
    for i in range(0, len(text), 25):
        renderer.append(text[i : i + 25])
        doc.documentLayout().documentSize()
    assert doc.blockCount() > 4
    doc.setTextWidth(650)
    renderer.rewrap()
    whole, whole_renderer = make_renderer()
    whole.setTextWidth(650)
    whole_renderer.set_text(text)
    assert doc.blockCount() == 1
    assert laid_out_lines(doc) == laid_out_lines(whole)
