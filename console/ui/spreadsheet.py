"""CSV downloads that open safely in a spreadsheet and stream without holding the rows in memory
(the dashboard's inbox export, the privacy app's audit trail export)."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula: "=HYPERLINK(…)" from a customer's
    message or a source system would otherwise run when a manager opens the file."""
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


class _Echo:
    """A file that hands back what is written to it: csv.writer's rows as strings to stream."""

    def write(self, value):
        return value


def csv_download(rows: Iterable[list], *, filename: str) -> StreamingHttpResponse:
    """The rows (a generator: header first) as a CSV file the browser saves, written while sent."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
