"""Names of harvested datasets, made from their Vietnamese titles."""

from __future__ import annotations

from ckan import model

from ckanext.vndata.lib import text

# Names CKAN's name_validator refuses: its own dataset pages.
RESERVED_NAMES = frozenset({"new", "edit", "search"})


def free_name(title: str) -> str:
    """A name no dataset here has, from ``title`` by transliteration (not CKAN's
    munge, which drops Vietnamese letters): the title's slug, or the slug with the
    first free ``-<n>``."""
    base = text.slugify(title) or "tap-du-lieu"
    if base in RESERVED_NAMES:  # CKAN's own pages (/dataset/new ...)
        base = f"{base}-du-lieu"
    names = model.Session.query(model.Package.name)
    if names.filter(model.Package.name == base).first() is None:
        return base  # the usual case: one indexed lookup
    # Every "<base>-<n>" (cut to the name length) starts with this stem.
    stem = base[: text.NAME_MAX_LENGTH - 7]
    taken = {
        name
        for (name,) in names.filter(
            model.Package.name.startswith(stem, autoescape=True)
        )
    }
    n = 2
    while True:
        name = f"{base[: text.NAME_MAX_LENGTH - len(str(n)) - 1]}-{n}"
        if name not in taken:
            return name
        n += 1
