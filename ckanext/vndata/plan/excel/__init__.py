"""The plan as an Excel workbook, in the shape officers fill in: write and read back.

Three sheets carry the three parts the law names (general information, the open-data
list with its schedule, the minimum levels per phase); a hidden sheet holds the code
lists behind the drop-downs. Headers are the file format and stay Vietnamese in every
locale; messages follow the user's language. Reading refuses, with a reason, anything
that is not a plain workbook of values: too large, not xlsx, formulas, too many rows.

- ``columns``: the sheets, their columns (from plan/fields.py) and the code lists;
- ``workbook``: what reading yields (the parts, and the problems found);
- ``write``: a plan (or the empty template) as .xlsx bytes;
- ``guidance``: what the template teaches (instructions sheet, marks, checks as typed);
- ``guard``: what an uploaded file must be before openpyxl opens it;
- ``read``: the sheets' rows, read cell by cell;
- ``rows``: those rows converted and checked with the plan actions' schemas.
"""
