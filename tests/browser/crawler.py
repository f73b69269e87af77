"""A crawler that walks the portal as a person does and lists what they stumble on.

It follows every same-site link (``<a href>``) from a few start pages, GET only,
breadth first, to a depth, at most ``per_pattern`` pages per route pattern (a path
whose identifiers are replaced by ``*``, and ``?`` for any query string), and
skips downloads and the GET routes that change something (harvest refresh, clear…).

On each page it reads what a person sees: the visible elements' own text, the options
of visible drop-downs, input placeholders and button labels, never ``code``/``pre``
(API examples, and the names a person types as they are, e.g. the config keys in the
harvest source form's help) nor addresses. Each problem is a ``Finding`` (address,
problem, text):

- ``english`` (on a ``vi`` page): after the data values (titles, names, notes… of what
  the test seeded, read back through the actions) are taken out, the text still holds
  a word of ``ENGLISH_WORDS``, common English words of CKAN's and the extensions' UI
  that are no Vietnamese syllable (acronyms in capitals, ``ALLOWED`` names and
  formats are not words);
- ``vietnamese`` (on an ``en`` page): after the data values are taken out, the text
  still holds a letter only Vietnamese uses (ă, ơ, ư, đ, tones…);
- ``raw code``: a code of our code lists shown as text (``codes()``);
- ``placeholder``: CKAN's sample texts and its 420 × 220 placeholder picture;
- ``sideways scroll``: the page is wider than the window;
- ``status``: an answer of 400 or more to a link a person can follow; ``traceback``;
- ``link leaves English``: a link of an ``en`` page to a page without ``/en``.

Pictures are not loaded (``block_pictures``) and pages are read once their document is
parsed (the style sheets come before the scripts, so the layout is there): a crawl of
some 200 pages has to fit in a few minutes.
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from collections.abc import Iterable

from playwright.sync_api import Error as PlaywrightError

# Common English words of the UI, none of them a Vietnamese syllable written without
# marks (so "in", "to", "do", "an", "no" are left out: Vietnamese uses them).
ENGLISH_WORDS = frozenset(
    """
about account activity add added admin all and any approve approved are back by
cancel changes clear close create created dashboard data dataset datasets delete
description download edit error errors explore feed file files filter filters find
follow followers for format formats found from groups harvest help here hide history
home job jobs language last latest license licence link log login logout manage
manual member members more name new news next not of organization organizations
page password please popular powered preview previous published read recent register
remove reset resource resources results running save search select settings share
show showing sign sort source sources status submit tags the this title total
unknown update updated upload user username users view views welcome what with you
your
""".split()
)
# Names and format names that are the same in every language.
ALLOWED = frozenset(
    "CKAN CSV JSON XML RDF API DCAT Excel Turtle GeoJSON XLSX Facebook Twitter "
    "LinkedIn URL URI ID GUID Markdown RSS Atom DataStore OpenStreetMap Leaflet "
    "Email".split()
)
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
    re.IGNORECASE,
)
# A language's own name is shown in that language on purpose (the switcher).
LANGUAGE_NAMES = ("Tiếng Việt",)
PLACEHOLDERS = (
    "Welcome to CKAN",
    "Chào mừng gia nhập CKAN",
    "This is a nice introductory paragraph",
    "Đây là một đoạn giới thiệu",
    "lorem ipsum",
    "Your organization",
    "Tên tổ chức của bạn",
)
# Addresses, e-mails and file names are not words of the UI.
ADDRESS = re.compile(r"\S*(?:://|@|/)\S*|\b\w+(?:\.\w+)+\b")
# An id (a harvest job's, shown on its pages): its letters are hex, not words ("add").
UUID = re.compile(r"\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b")
# Legal documents are cited by their Vietnamese number in every language.
LEGAL_NUMBER = re.compile(r"\S*\b(?:QĐ|NĐ|TT|NQ)-\w+\S*")
WORD = re.compile(r"[A-Za-z]+")
# Not pages: files, feeds, the API, and the GET routes that change something.
SKIP = re.compile(
    r"\.(csv|xlsx?|json|jsonld|ttl|rdf|xml|n3|zip|pdf|png|jpe?g|svg|ico|gz)$"
    r"|^/(api|feeds|uploads|webassets|base|catalog)(/|$)"
    r"|/download(/|$)|/dump(/|$)"
    r"|^/user/_?logout|^/logout|/member_dump/"
    r"|^/harvest/(refresh|clear|delete|object)/|/job/[^/]+/abort$"
    r"|^/dataset/harvest_object/"
)
ID_SEGMENT = re.compile(r"\d|^[0-9a-f]{8}-")

# Each visible element's own text, the options of visible drop-downs, placeholders
# and button labels; the links; how far the page runs past the window.
READ_PAGE = """() => {
  const shown = e => e.getClientRects().length > 0
    && getComputedStyle(e).visibility !== 'hidden';
  const texts = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest('code, pre, kbd, samp, script, style, noscript, template, textarea, '
                  + '.slug-preview')) continue;
    if (!shown(e)) continue;
    const own = [...e.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
      .map(n => n.textContent).join(' ').replace(/\\s+/g, ' ').trim();
    if (own) texts.push(own);
    if (e.placeholder) texts.push(e.placeholder);
    if (e.tagName === 'INPUT' && ['submit', 'button'].includes(e.type) && e.value)
      texts.push(e.value);
    if (e.tagName === 'SELECT')
      for (const o of e.options) if (o.text.trim()) texts.push(o.text.trim());
  }
  const images = [...document.images].map(i => i.getAttribute('src') || '');
  return {
    texts, images,
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


@dataclasses.dataclass(frozen=True)
class Finding:
    url: str
    problem: str
    text: str

    def __str__(self) -> str:
        return f"{self.url}\n    {self.problem}: {self.text[:160]}"


class DataValues:
    """What the test seeded (titles, names, notes…): data, not UI text."""

    def __init__(self, values: Iterable[str], names: Iterable[str] = ()):
        kept = {" ".join(v.split()) for v in values if _is_text(v)}
        kept = sorted(kept | set(names), key=len, reverse=True)
        self._all = "\n".join(kept)
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, kept)) + r")(?!\w)")
            if kept
            else None
        )

    def strip(self, line: str) -> str:
        """``line`` without the data values in it ('' when it is one, or a part of
        one, e.g. a truncated description)."""
        if line.rstrip(".… ") in self._all:
            return ""
        return self._pattern.sub(" ", line) if self._pattern else line


def _is_text(value: str) -> bool:
    """A value people read (a title, a name…), not a code or a slug."""
    value = value.strip()
    return len(value) > 1 and not re.fullmatch(r"[a-z0-9_.:/@-]+", value)


def data_strings(value) -> Iterable[str]:
    """Every string inside an action's result (nested dicts and lists)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            # A licence's title is the register's label, translated per language.
            if key not in ("license_title", "license_url"):
                yield from data_strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from data_strings(item)


class Checks:
    """The problems of one page's texts, in one language."""

    def __init__(self, data: DataValues, codes: Iterable[str]):
        self.data = data
        self.codes = re.compile(
            r"(?<![\w/.-])(?:"
            + "|".join(map(re.escape, sorted(codes, key=len, reverse=True)))
            + r")(?![\w/.-])"
        )

    def english(self, line: str) -> bool:
        text = UUID.sub(" ", ADDRESS.sub(" ", self.data.strip(line)))
        return any(
            word.lower() in ENGLISH_WORDS
            for word in WORD.findall(text)
            if word not in ALLOWED and not (word.isupper() and len(word) > 1)
        )

    def vietnamese(self, line: str) -> bool:
        text = LEGAL_NUMBER.sub(" ", self.data.strip(line))
        for name in LANGUAGE_NAMES:
            text = text.replace(name, " ")
        return bool(VIETNAMESE.search(text))

    def raw_code(self, line: str) -> str | None:
        found = self.codes.search(ADDRESS.sub(" ", line))
        return found.group(0) if found else None

    def page(self, url: str, language: str, seen: dict) -> list[Finding]:
        """The findings of a page read by READ_PAGE, in ``language``."""
        found = []
        for line in dict.fromkeys(seen["texts"]):
            if language == "vi" and self.english(line):
                found.append(Finding(url, "english", line))
            if language == "en" and self.vietnamese(line):
                found.append(Finding(url, "vietnamese", line))
            code = self.raw_code(line)
            if code:
                found.append(Finding(url, f"raw code {code}", line))
        everything = " ".join(seen["texts"]).lower()
        for text in PLACEHOLDERS:
            if text.lower() in everything:
                found.append(Finding(url, "placeholder", text))
        for src in seen["images"]:
            if "placeholder" in src:
                found.append(Finding(url, "placeholder", src))
        if seen["overflow"] > 1:
            found.append(Finding(url, "sideways scroll", f"{seen['overflow']} px"))
        return found


def route_pattern(path: str, query: str, identifiers: set[str]) -> str:
    """The route of a path: identifiers (seeded names, ids, numbers) as ``*``; any
    query (a facet, a sort, a page) as ``?``, so filtered lists count as one route."""
    segments = [
        "*" if s in identifiers or ID_SEGMENT.search(s) else s
        for s in path.strip("/").split("/")
    ]
    return "/" + "/".join(segments) + ("?" if query else "")


def crawl(
    page,
    base: str,
    language: str,
    starts: Iterable[str],
    checks: Checks,
    identifiers: set[str],
    depth: int = 3,
    per_pattern: int = 1,
) -> tuple[list[Finding], dict[str, str]]:
    """Visit what a person reaches from ``starts`` (paths without the language);
    return the findings and the pages visited ({route pattern: first address})."""
    prefix = "" if language == "vi" else "/en"
    origin = urllib.parse.urlsplit(base)
    queue = [(f"{prefix}{path}", 0) for path in starts]
    done: set[str] = set()
    per_route: dict[str, int] = {}
    routes: dict[str, str] = {}
    findings: list[Finding] = []
    while queue:
        path, level = queue.pop(0)
        parts = urllib.parse.urlsplit(path)
        bare = parts.path[len(prefix) :] if prefix else parts.path
        route = route_pattern(bare or "/", parts.query, identifiers)
        if path in done or per_route.get(route, 0) >= per_pattern:
            continue
        done.add(path)
        per_route[route] = per_route.get(route, 0) + 1
        routes.setdefault(route, path)
        url = f"{path} ({language})"
        try:
            response = page.goto(base + path, wait_until="domcontentloaded")
        except PlaywrightError as error:  # a download, a closed connection
            findings.append(Finding(url, "no page", str(error).splitlines()[0]))
            continue
        if response.status >= 400 and level:  # a start may be for sysadmins only
            findings.append(Finding(url, "status", str(response.status)))
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        if "Traceback (most recent call last)" in page.content():
            findings.append(Finding(url, "traceback", page.inner_text("body")[:300]))
        seen = page.evaluate(READ_PAGE)
        findings += checks.page(url, language, seen)
        if level < depth:
            for link in _links(seen["links"], origin, prefix, url, findings):
                queue.append((link, level + 1))
    return findings, routes


def _links(links, origin, prefix: str, url: str, findings: list) -> Iterable[str]:
    """The same-site pages among ``links`` (path and query); a link of an English
    page that leads out of English is a finding, not followed."""
    for link in links:
        target = urllib.parse.urlsplit(link)
        if (target.scheme, target.netloc) != (origin.scheme, origin.netloc):
            continue
        path = target.path
        if prefix:
            if not (path == prefix or path.startswith(prefix + "/")):
                if not SKIP.search(path):
                    findings.append(Finding(url, "link leaves English", path))
                continue
        if SKIP.search(path[len(prefix) :]):
            continue
        yield path + (f"?{target.query}" if target.query else "")


def block_pictures(context) -> None:
    """Pictures and fonts are not fetched: the crawl reads text and layout."""
    context.route(
        re.compile(r"\.(png|jpe?g|gif|svg|webp|ico|woff2?|ttf)(\?.*)?$"),
        lambda route: route.abort(),
    )
