"""CSV downloads: spreadsheet-safe cells, and a streamed answer for tables too long to hold in memory."""

import csv
import itertools
from decimal import Decimal

from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse
from rest_framework import renderers

# A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """Spreadsheet-safe text: a cell that starts like a formula gets a leading quote (a number
    such as ``-5.00`` stays a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        try:
            Decimal(value)
        except ArithmeticError:
            return "'" + value
    return value


class _Line:
    """What ``csv.writer`` writes to: it hands back each line instead of keeping it."""

    def write(self, line):
        return line


def csv_lines(columns, rows):
    """The header row, then one line per row (a sequence in ``columns``' order), cells made safe."""
    writer = csv.writer(_Line(), lineterminator="\n")
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([spreadsheet_cell(value) for value in row])


async def _lines_for_asgi(lines, batch):
    """The lines in batches, each read in the request's sync thread (where its database cursor is)."""

    def take():
        return "".join(itertools.islice(lines, batch))

    while chunk := await sync_to_async(take, thread_sensitive=True)():
        yield chunk


def streamed_csv(columns, rows, filename, *, asgi=False, batch=500):
    """A CSV download of ``rows`` (an iterator: read as it is sent, never all in memory). Served
    over ASGI (``asgi=True``) the lines come from an asynchronous iterator: Django would read a
    synchronous one whole before sending a byte."""
    lines = csv_lines(columns, rows)
    content = _lines_for_asgi(lines, batch) if asgi else lines
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class StreamedCSVRenderer(renderers.BaseRenderer):
    """Lets ``?format=csv`` (or ``Accept: text/csv``) choose a view's CSV answer; the view streams
    it itself (``streamed_csv``), and errors are answered as JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data, "application/json", renderer_context)
