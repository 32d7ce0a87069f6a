"""Tables of the PDF report: wrapped cells, a heading row repeated on every page, rows split
only when taller than a page. Kept apart from the text layout of ``pdf_layout``, whose
``Writer`` this extends."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mlpm_core.report.pdf_layout import BLACK, FAMILY, WHITE, Colour, Writer

HEADING_FILL: Colour = (235, 238, 242)
RULE_GREY: Colour = (170, 170, 170)
# mm of space above and below a table cell's text together, per point of font size: a fixed
# 1.6 mm made the appendix's 6.5-point rows a third padding (and the longest example 7 pages);
# 0.18 left that example a line from a seventh page on Letter, where any longer sentence put it
CELL_PADDING = 0.14


class TableWriter(Writer):
    """The report's ``Writer`` with tables."""

    def table(self, headings: Sequence[str], rows: Iterable[Sequence[str]],
              widths: Sequence[float], numeric: Sequence[int] = (), size: float = 8,
              fills: dict[int, dict[str, Colour]] | None = None) -> None:
        """A table with a bold, repeated heading row and rules between rows.

        ``widths`` are relative; ``numeric`` columns are right-aligned; ``fills`` colours the
        cells of a column by their text (white text on the colour). No ``headings``: no
        heading row, for a list of labelled values whose columns need no names.
        """
        pdf = self.pdf
        columns = [self.pdf.epw * width / sum(widths) for width in widths]
        header = self._cells(headings, columns, size, "B") if headings else []
        body = list(rows)
        if pdf.will_page_break(self.table_lead(headings, body, widths, size, first=1)):
            pdf.add_page()  # no orphan heading row
        self._heading_row(header, columns, numeric, size)
        for values in body:
            cells = self._cells(values, columns, size)
            fill = {column: colour for column, by_text in (fills or {}).items()
                    if (colour := by_text.get(values[column])) is not None}
            if self._row_height(cells, size) > pdf.page_break_trigger - pdf.get_y():
                pdf.add_page()
                self._heading_row(header, columns, numeric, size)
            self._row(cells, columns, numeric, size, "", fills=fill)
        pdf.ln(2)

    def table_lead(self, headings: Sequence[str], rows: Sequence[Sequence[str]],
                   widths: Sequence[float], size: float = 8, first: int = 3) -> float:
        """Height in mm of a table's header row and its ``first`` rows: what a heading above it
        must keep on its page, so that the heading never ends a page alone."""
        columns = [self.pdf.epw * width / sum(widths) for width in widths]
        return sum(self._row_height(self._cells(values, columns, size, style), size)
                   for values, style in [*([(headings, "B")] if headings else []),
                                         *((row, "") for row in rows[:first])])

    def _heading_row(self, header: Sequence[Sequence[str]], columns: Sequence[float],
                     numeric: Sequence[int], size: float) -> None:
        if header:
            self._row(header, columns, numeric, size, "B", fill_all=HEADING_FILL)

    def _cells(self, values: Sequence[str], columns: Sequence[float], size: float,
               style: str = "") -> list[list[str]]:
        """Each cell's text wrapped to its column, inside the cell padding."""
        return [self.pdf.wrap(text, width - 2.4, style, size)
                for text, width in zip(values, columns, strict=True)]

    @staticmethod
    def _row_height(cells: Sequence[Sequence[str]], size: float) -> float:
        return max(len(lines) for lines in cells) * size * 0.5 + size * CELL_PADDING

    def _row(self, cells: Sequence[Sequence[str]], columns: Sequence[float],
             numeric: Sequence[int], size: float, style: str,
             fill_all: Colour | None = None, fills: dict[int, Colour] | None = None) -> None:
        pdf = self.pdf
        line_height = size * 0.5
        lines_left = [list(lines) for lines in cells]
        while any(lines_left):
            padding = size * CELL_PADDING
            room = int((pdf.page_break_trigger - pdf.get_y() - padding) // line_height)
            if room < 1:
                pdf.add_page()
                continue
            chunk = [lines[:room] for lines in lines_left]  # a row taller than a page splits
            lines_left = [lines[room:] for lines in lines_left]
            height = max(len(lines) for lines in chunk) * line_height + padding
            top, x = pdf.get_y(), pdf.l_margin
            pdf.set_font(FAMILY, style, size)
            for column, (lines, width) in enumerate(zip(chunk, columns, strict=True)):
                colour = fill_all or (fills or {}).get(column)
                if colour is not None:
                    pdf.set_fill_color(*colour)
                    pdf.rect(x, top, width, height, style="F")
                pdf.set_text_color(*(WHITE if fills and column in fills else BLACK))
                for index, line in enumerate(lines):
                    pdf.set_xy(x + 1.2, top + padding / 2 + index * line_height)
                    pdf.cell(width - 2.4, line_height, line,
                             align="R" if column in numeric else "L")
                x += width
            pdf.set_text_color(*BLACK)
            pdf.set_draw_color(*RULE_GREY)
            pdf.set_line_width(0.2)
            pdf.line(pdf.l_margin, top + height, pdf.l_margin + sum(columns), top + height)
            pdf.set_xy(pdf.l_margin, top + height)
