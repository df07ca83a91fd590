"""A lean pdfminer device: the text of upright horizontal pages without building layout objects.

pdfminer's TextConverter makes an LTChar object per glyph (bounding box through two matrix
products) and then groups them with LAParams; on council PDFs that is two thirds of its time.
`GlyphDevice` records each glyph as a few floats and `page_text` groups them with the same
rules as pdfminer's default LAParams (char_margin 2.0, line_overlap 0.5, word_margin 0.1,
line_margin 0.5, boxes_flow None), so the text comes out the same, about three times faster.
A page it cannot read that way (rotated or vertical text, Type3 fonts, text inside form
XObjects) is flagged, and the caller reads it again with pdfminer's own converter.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFFont, PDFType3Font, PDFUnicodeNotDefined
from pdfminer.utils import Matrix, apply_matrix_rect, mult_matrix

from .pdflimits import PdfLimitError

if TYPE_CHECKING:
    from pdfminer.pdfcolor import PDFColorSpace
    from pdfminer.pdfdevice import PDFTextSeq
    from pdfminer.pdfinterp import PDFGraphicState, PDFResourceManager, PDFTextState
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import PDFStream
    from pdfminer.utils import PathSegment, Rect

# pdfminer's LAParams defaults, which the rest of the pipeline was tuned on.
CHAR_MARGIN = 2.0
LINE_OVERLAP = 0.5
WORD_MARGIN = 0.1
LINE_MARGIN = 0.5
GRID = 50  # the cell size of pdfminer's Plane
# Glyphs one page may draw: a dense A4 page has about 6,000, a table in small print on A3 some
# 20,000. Each costs about 200 bytes here and several times that in pdfminer's own layout, so
# a page of a billion spaces is refused rather than held.
MAX_PAGE_GLYPHS = 200_000

Glyph = tuple[float, float, float, float, str]  # x0, x1, y0, y1, text


class GlyphDevice(PDFTextDevice):
    """Collects the glyphs of one page; sets `needs_fallback` when the page is not plain."""

    def __init__(self, rsrcmgr: PDFResourceManager) -> None:
        super().__init__(rsrcmgr)
        self.glyphs: list[Glyph] = []
        self.figure_text: list[str] = []
        self.width = 0.0
        self.height = 0.0
        self.needs_fallback = False
        self.has_images = False  # the page draws an image: a scan, if its text is thin
        self.glyph_count = 0
        self._figure_depth = 0
        # Per font: cid -> (text, width in text space units); fonts are cached by the manager.
        self._font_cache: dict[int, tuple[PDFFont, dict[int, tuple[str, float]]]] = {}

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        x0, y0, x1, y1 = apply_matrix_rect(ctm, page.mediabox)
        self.width = abs(x0 - x1)
        self.height = abs(y0 - y1)
        self.glyphs = []
        self.figure_text = []
        self.needs_fallback = False
        self.has_images = False
        self.glyph_count = 0
        self._figure_depth = 0

    def begin_figure(self, name: str, bbox: Rect, matrix: Matrix) -> None:
        self._figure_depth += 1

    def end_figure(self, name: str) -> None:
        self._figure_depth -= 1

    def render_image(self, name: str, stream: PDFStream) -> None:
        self.has_images = True

    def paint_path(
        self,
        graphicstate: PDFGraphicState,
        stroke: bool,
        fill: bool,
        evenodd: bool,
        path: Sequence[PathSegment],
    ) -> None:
        pass

    def render_string(
        self,
        textstate: PDFTextState,
        seq: PDFTextSeq,
        ncs: PDFColorSpace,
        graphicstate: PDFGraphicState,
    ) -> None:
        # Counted before anything is decoded: one string of a billion spaces is one operand.
        self.glyph_count += sum(len(obj) for obj in seq if isinstance(obj, bytes))
        if self.glyph_count > MAX_PAGE_GLYPHS:
            raise PdfLimitError(f"a page of the PDF draws more than {MAX_PAGE_GLYPHS:,} glyphs")
        if self.needs_fallback:
            return
        font = textstate.font
        if font is not None and self._figure_depth:
            # pdfminer does not lay out text in form XObjects: it writes the glyphs as they
            # come, after the page's text boxes; their places do not matter.
            for obj in seq:
                if isinstance(obj, bytes):
                    self.figure_text.extend(char_text(font, cid) for cid in font.decode(obj))
            return
        assert self.ctm is not None
        matrix = mult_matrix(textstate.matrix, self.ctm)
        a, b, c, d, e, f = matrix
        if font is None or b != 0 or c != 0 or font.is_vertical() or isinstance(font, PDFType3Font):
            # pdfminer groups rotated and vertical glyphs its own way: let it.
            self.needs_fallback = True
            return
        fontsize = textstate.fontsize
        scaling = textstate.scaling * 0.01
        charspace = textstate.charspace * scaling
        wordspace = 0.0 if font.is_multibyte() else textstate.wordspace * scaling
        rise = textstate.rise
        dxscale = 0.001 * fontsize * scaling
        size = fontsize * scaling
        cached = self._font_cache.get(id(font))
        if cached is None or cached[0] is not font:
            cached = (font, {})
            self._font_cache[id(font)] = cached
        chars = cached[1]
        # The same arithmetic as LTChar's bounding box for b == c == 0, in the same order.
        descent = font.get_descent() * fontsize
        x, y = textstate.linematrix
        fy = y * d + f
        y0 = d * (descent + rise) + fy
        y1 = d * (descent + rise + fontsize) + fy
        if y1 < y0:
            y0, y1 = y1, y0
        glyphs = self.glyphs
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    known = chars.get(cid)
                    if known is None:
                        known = chars[cid] = (char_text(font, cid), font.char_width(cid))
                    adv = known[1] * size
                    ex = x * a + e
                    x0 = ex
                    x1 = a * adv + ex
                    if x1 < x0:
                        x0, x1 = x1, x0
                    glyphs.append((x0, x1, y0, y1, known[0]))
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
        textstate.linematrix = (x, y)


def char_text(font: PDFFont, cid: int) -> str:
    """The Unicode text of a glyph, or pdfminer's "(cid:N)" placeholder."""
    try:
        text = font.to_unichr(cid)
    except PDFUnicodeNotDefined:
        return f"(cid:{cid})"
    assert isinstance(text, str)
    return text


class Line:
    """A run of horizontally aligned glyphs, as pdfminer's LTTextLineHorizontal."""

    __slots__ = ("parts", "x0", "x1", "y0", "y1")

    def __init__(self, parts: list[str], x0: float, x1: float, y0: float, y1: float) -> None:
        self.parts = parts
        self.x0 = x0
        self.x1 = x1
        self.y0 = y0
        self.y1 = y1

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def is_empty(self) -> bool:
        return self.x1 - self.x0 <= 0 or self.y1 - self.y0 <= 0 or self.text.isspace()


def group_lines(glyphs: Sequence[Glyph]) -> list[Line]:
    """Consecutive aligned glyphs make a line (pdfminer's group_objects, horizontal only).

    Two glyphs are aligned ("halign") when they overlap vertically by more than half the
    lower one's height and the horizontal gap is under twice the wider one's width; inside a
    line a space goes where a glyph starts more than a tenth of its size after the last one.
    Written out in one loop: this runs once per glyph, and calls cost more than the sums.
    """
    lines: list[Line] = []
    if not glyphs:
        return lines
    px0, px1, py0, py1, ptext = glyphs[0]
    parts: list[str] | None = None  # the open line, if any, and its bounding box
    lx0 = lx1 = ly0 = ly1 = 0.0
    for gx0, gx1, gy0, gy1, gtext in glyphs[1:]:
        aligned = False
        if gy0 <= py1 and py0 <= gy1:
            overlap = abs(py0 - gy1)
            other = abs(py1 - gy0)
            if other < overlap:
                overlap = other
            ph = py1 - py0
            gh = gy1 - gy0
            if (ph if ph < gh else gh) * LINE_OVERLAP < overlap:
                if gx0 <= px1 and px0 <= gx1:
                    gap = 0.0
                else:
                    gap = abs(px0 - gx1)
                    other = abs(px1 - gx0)
                    if other < gap:
                        gap = other
                pw = px1 - px0
                gw = gx1 - gx0
                aligned = gap < (pw if pw > gw else gw) * CHAR_MARGIN
        if aligned and parts is not None:
            pass
        elif parts is not None:
            lines.append(Line(parts, lx0, lx1, ly0, ly1))
            parts = None
        elif aligned:
            parts = [ptext]
            lx0, lx1, ly0, ly1 = px0, px1, py0, py1
        else:
            lines.append(Line([ptext], px0, px1, py0, py1))
        if aligned and parts is not None:
            gw = gx1 - gx0
            gh = gy1 - gy0
            if px1 < gx0 - WORD_MARGIN * (gw if gw > gh else gh):
                parts.append(" ")
            parts.append(gtext)
            if gx0 < lx0:
                lx0 = gx0
            if gx1 > lx1:
                lx1 = gx1
            if gy0 < ly0:
                ly0 = gy0
            if gy1 > ly1:
                ly1 = gy1
        px0, px1, py0, py1, ptext = gx0, gx1, gy0, gy1, gtext
    if parts is None:
        lines.append(Line([ptext], px0, px1, py0, py1))
    else:
        lines.append(Line(parts, lx0, lx1, ly0, ly1))
    return lines


def are_neighbours(one: Line, other: Line) -> bool:
    """pdfminer's find_neighbors: close above or below, same height, aligned on an edge."""
    d = LINE_MARGIN * (one.y1 - one.y0)
    if other.x1 <= one.x0 or one.x1 <= other.x0:
        return False
    if other.y1 <= one.y0 - d or one.y1 + d <= other.y0:
        return False
    return abs((other.y1 - other.y0) - (one.y1 - one.y0)) <= d and (
        abs(other.x0 - one.x0) <= d
        or abs(other.x1 - one.x1) <= d
        or abs((other.x0 + other.x1) / 2 - (one.x0 + one.x1) / 2) <= d
    )


def group_boxes(lines: Sequence[Line], width: float, height: float) -> list[list[Line]]:
    """Neighbouring lines make a box (pdfminer's group_textlines), in first-line order.

    Neighbours are taken in the order pdfminer's Plane finds them (by 50-point grid cell,
    then line order), because that order decides between lines on the same baseline.
    """
    tallest = max((line.y1 - line.y0 for line in lines), default=0.0)
    by_bottom = sorted(range(len(lines)), key=lambda k: lines[k].y0)
    bottoms = [lines[k].y0 for k in by_bottom]
    on_page = [not (m.x1 <= 0 or width <= m.x0 or m.y1 <= 0 or height <= m.y0) for m in lines]
    boxes: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        d = LINE_MARGIN * (line.y1 - line.y0)
        band_y0 = line.y0 - d
        band_y1 = line.y1 + d
        members = [i]
        if not (line.x1 <= 0 or width <= line.x0 or band_y1 <= 0 or height <= band_y0):
            # Only lines whose bottom lies within reach can overlap the search band.
            lo = bisect_left(bottoms, band_y0 - tallest)
            hi = bisect_right(bottoms, band_y1)
            found = [j for j in by_bottom[lo:hi] if on_page[j] and are_neighbours(line, lines[j])]
            row0 = int(max(0.0, band_y0)) // GRID
            col0 = int(max(0.0, line.x0)) // GRID
            found.sort(
                key=lambda j: (
                    max(row0, int(max(0.0, lines[j].y0)) // GRID),
                    max(col0, int(max(0.0, lines[j].x0)) // GRID),
                    j,
                )
            )
            for j in found:
                members.append(j)
                if j in boxes:
                    members.extend(boxes.pop(j))
        box = list(dict.fromkeys(members))
        for m in box:
            boxes[m] = box
    ordered: list[list[Line]] = []
    done: set[int] = set()
    for i in range(len(lines)):
        box = boxes[i]
        if id(box) not in done:
            done.add(id(box))
            ordered.append([lines[m] for m in box])
    return ordered


def page_text(
    glyphs: Sequence[Glyph], width: float, height: float, figure_text: Sequence[str] = ()
) -> str:
    """The page as TextConverter writes it: boxes top to bottom, a blank line after each."""
    lines = group_lines(glyphs)
    texts = [line for line in lines if not line.is_empty()]
    empties = [line for line in lines if line.is_empty()]
    boxes = group_boxes(texts, width, height)
    boxes.sort(key=lambda box: (-min(m.y0 for m in box), min(m.x0 for m in box)))
    out: list[str] = []
    for box in boxes:
        box.sort(key=lambda m: -m.y1)
        for line in box:
            out.append(line.text)
            out.append("\n")
        out.append("\n")
    out.extend(figure_text)
    for line in empties:
        out.append(line.text)
        out.append("\n")
    return "".join(out)
