"""What an uploaded file must be before openpyxl opens it.

openpyxl believes what a workbook declares: one cell at XFD400 makes it build and walk
millions of empty cells (41 s and 1.7 GB measured), a zip bomb unpacks in memory, and
macros ride along unseen. So the file is judged first, from its zip directory and a
streamed, bounded reading of each sheet's XML, and refused with the limit it broke
before openpyxl spends anything on it. The limits are the file format's, not a setting.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree
from xml.parsers import expat

import ckan.plugins.toolkit as tk

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 2 * 1024 * 1024  # any XML part but the sheets and the shared texts
MAX_PARTS = 200
MAX_RATIO = 100  # unpacked / packed size of one part (XML packs 10-30 times)
MAX_SHEETS = 20
MAX_ROWS = 2000  # data rows of a sheet, under its header row
MAX_COLUMNS = 50
MAX_TEXTS = 200_000  # entries of the shared-texts table
MACRO_NAMES = (".xlsm", ".xltm", ".xlam", ".xlsb")

MAIN_URI = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAIN = "{" + MAIN_URI + "}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
DTD = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and password-protected .xlsx)


class Refused(ValueError):
    """The file cannot be read at all; the message says why."""


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _position(ref: str | None) -> tuple[int, int] | None:
    """(row, column) of a cell reference such as "XFD400"."""
    match = CELL_REF.match(ref or "")
    if not match:
        return None
    return int(match.group(2)), _column_number(match.group(1))


def _not_a_workbook(data: bytes, filename: str | None) -> Refused:
    if data.startswith(OLE):
        return Refused(
            tk._(
                "This is an old-format Excel file (.xls) or a protected workbook; "
                "save it as an Excel workbook (.xlsx) without a password."
            )
        )
    head = data[:4096]
    if (
        (filename or "").lower().endswith((".csv", ".txt"))
        or b"\0" not in head
        and (b"," in head or b";" in head or b"\t" in head)
    ):
        return Refused(
            tk._(
                "This is a CSV or text file; open it in Excel and save it as an "
                "Excel workbook (.xlsx)."
            )
        )
    return Refused(tk._("The file is not an Excel workbook (.xlsx)."))


def _check_directory(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        raise Refused(
            tk._("The workbook has too many parts: at most {max}.").format(
                max=MAX_PARTS
            )
        )
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise Refused(
            tk._("The workbook unpacks to more than {mb} MB.").format(
                mb=MAX_UNPACKED_BYTES // 2**20
            )
        )
    names = {m.filename for m in members}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise Refused(
            tk._("The file is a zip archive but not an Excel workbook (.xlsx).")
        )
    for member in members:
        if member.file_size > 1024 * 1024 and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            raise Refused(
                tk._(
                    "The part {part} of the workbook is packed more than {ratio} "
                    "times (a zip bomb?); the file is not read."
                ).format(part=member.filename, ratio=MAX_RATIO)
            )
        big_part = member.filename.endswith(".xml") and not (
            member.filename.startswith("xl/worksheets/")
            or member.filename == "xl/sharedStrings.xml"
        )
        if big_part and member.file_size > MAX_PART_BYTES:
            raise Refused(
                tk._("The part {part} of the workbook is larger than {mb} MB.").format(
                    part=member.filename, mb=MAX_PART_BYTES // 2**20
                )
            )


def _refuse_macros(archive: zipfile.ZipFile, filename: str | None) -> None:
    macros = Refused(
        tk._(
            "Workbooks with macros (.xlsm, VBA) are not accepted; save it as an "
            "Excel workbook (.xlsx) without macros."
        )
    )
    if (filename or "").lower().endswith(MACRO_NAMES):
        raise macros
    for name in archive.namelist():
        if name.lower().endswith(("vbaproject.bin", "vbaprojectsignature.bin")):
            raise macros
    types = archive.read("[Content_Types].xml").lower()
    if b"macroenabled" in types or b"vbaproject" in types:
        raise macros


def _refuse_dtds(archive: zipfile.ZipFile) -> None:
    """No part of a workbook needs a DTD, and entities declared there are how an XML
    file expands a few bytes into gigabytes ("billion laughs"); UTF-16 parts, which
    would hide a DTD from this byte search, are refused too."""
    for member in archive.infolist():
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(member) as part:
            tail, first = b"", True
            while chunk := part.read(64 * 1024):
                utf16 = chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in chunk
                if first and utf16:
                    raise Refused(
                        tk._("The part {part} of the workbook is not UTF-8.").format(
                            part=member.filename
                        )
                    )
                if DTD.search(tail + chunk):
                    raise Refused(
                        tk._(
                            "The part {part} of the workbook declares XML entities "
                            "(a DTD), which workbooks never do; the file is not read."
                        ).format(part=member.filename)
                    )
                tail, first = chunk[-16:], False


def _sheets(archive: zipfile.ZipFile) -> dict[str, str]:
    """{part name: sheet name} of the worksheets the workbook lists."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        raise Refused(
            tk._("The file is a zip archive but not an Excel workbook (.xlsx).")
        ) from None
    targets = {}
    for rel in rels.iter(f"{RELS}Relationship"):
        target = rel.get("Target") or ""
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = posixpath.normpath(part)
    sheets = {
        targets.get(sheet.get(R_ID), ""): sheet.get("name") or ""
        for sheet in book.iter(f"{MAIN}sheet")
    }
    if len(sheets) > MAX_SHEETS:
        raise Refused(
            tk._("The workbook has too many sheets: at most {max}.").format(
                max=MAX_SHEETS
            )
        )
    for name in archive.namelist():  # parts not listed are read by no one, but bound
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            sheets.setdefault(name, name)
    return {part: name for part, name in sheets.items() if part in archive.namelist()}


def _too_many(what: str, sheet: str, limit: int) -> Refused:
    messages = {
        "rows": tk._("The sheet “{sheet}” has too many rows: at most {max}."),
        "columns": tk._("The sheet “{sheet}” has too many columns: at most {max}."),
    }
    return Refused(messages[what].format(sheet=sheet, max=limit))


def _check_position(sheet: str, row: int, column: int) -> None:
    if row > MAX_ROWS + 1:
        raise _too_many("rows", sheet, MAX_ROWS)
    if column > MAX_COLUMNS:
        raise _too_many("columns", sheet, MAX_COLUMNS)


class _SheetCounter:
    """Streams a sheet's XML with expat (a C callback per element: ElementTree's
    iterparse took 1.8 s over 100,000 cells) and refuses at the first row or cell past a
    limit. Cells without a reference count on from the previous one, as spreadsheet
    programs place them; rows and cells are counted as well as placed, so that the
    same reference repeated a million times is refused too."""

    def __init__(self, sheet: str):
        self.sheet, self.row, self.column = sheet, 0, 0
        self.rows = self.cells_in_row = 0

    def start(self, tag: str, attributes: dict) -> None:
        if tag == f"{MAIN_URI} c":
            self.cells_in_row += 1
            if self.cells_in_row > MAX_COLUMNS:
                raise _too_many("columns", self.sheet, MAX_COLUMNS)
            at = _position(attributes.get("r"))
            self.row, self.column = at if at else (max(self.row, 1), self.column + 1)
            _check_position(self.sheet, self.row, self.column)
        elif tag == f"{MAIN_URI} row":
            self.rows += 1
            given = attributes.get("r") or ""
            self.row = int(given) if given.isdigit() else self.row + 1
            self.column = self.cells_in_row = 0
            _check_position(self.sheet, max(self.row, self.rows), 1)
        elif tag == f"{MAIN_URI} dimension":
            at = _position((attributes.get("ref") or "").split(":")[-1])
            if at:
                _check_position(self.sheet, *at)


def _stream(archive: zipfile.ZipFile, part: str, start) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    with archive.open(part) as xml:
        while chunk := xml.read(256 * 1024):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _check_sheet(archive: zipfile.ZipFile, part: str, sheet: str) -> None:
    """The sheet's declared size, then every row and cell actually there."""
    _stream(archive, part, _SheetCounter(sheet).start)


def _check_texts(archive: zipfile.ZipFile) -> None:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return
    count = 0

    def start(tag: str, attributes: dict) -> None:
        nonlocal count
        if tag == f"{MAIN_URI} si":
            count += 1
            if count > MAX_TEXTS:
                raise Refused(
                    tk._(
                        "The workbook has too many different texts: at most {max}."
                    ).format(max=MAX_TEXTS)
                )

    _stream(archive, "xl/sharedStrings.xml", start)


def check(data: bytes, filename: str | None = None) -> None:
    """Refuse (raise Refused) a file that is not a plain .xlsx within the limits."""
    if not data:
        raise Refused(tk._("The file is empty."))
    if len(data) > MAX_BYTES:
        raise Refused(
            tk._("The file is larger than {mb} MB.").format(mb=MAX_BYTES // 2**20)
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _not_a_workbook(data, filename) from None
    try:
        with archive:
            _check_directory(archive)
            _refuse_macros(archive, filename)
            _refuse_dtds(archive)
            for part, sheet in _sheets(archive).items():
                _check_sheet(archive, part, sheet)
            _check_texts(archive)
    except Refused:
        raise
    except (
        zipfile.BadZipFile, ElementTree.ParseError, expat.ExpatError, OSError, EOFError
    ) as error:  # fmt: skip
        raise Refused(
            tk._("The workbook cannot be read: {error}").format(error=error)
        ) from None
    except (KeyError, ValueError, NotImplementedError, RuntimeError) as error:
        # A damaged directory, an unknown compression method, an encrypted part.
        raise Refused(
            tk._("The workbook cannot be read: {error}").format(error=error)
        ) from None
