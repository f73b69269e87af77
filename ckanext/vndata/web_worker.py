"""What a web worker builds before it serves: the browser scripts' catalogues and
the web assets, once at a time across the site's workers.

`ckan run` writes the scripts' catalogues before serving and builds each web asset on
the first page that needs it; under gunicorn every worker starts at the same moment
and did both at once: a worker read a catalogue another was rewriting in place and
died (JSONDecodeError), and two first pages building the same asset folder ended in
a 500 ("File exists"). Each worker now takes a file lock, builds what is missing or
stale (nothing, after the first) and serves.
"""

from __future__ import annotations

import fcntl
import logging
import pathlib

from ckan.lib import webassets_tools
from ckan.lib.i18n import build_js_translations, get_js_translations_dir

from ckanext.vndata.translation import vndata_complete_script_catalogues

log = logging.getLogger(__name__)


def vndata_prepare_web_worker() -> None:
    directory = pathlib.Path(get_js_translations_dir())
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".vndata-build.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        except OSError:  # storage without locks (some network filesystems)
            log.warning("No lock on %s: building without one", directory)
        build_js_translations()
        vndata_complete_script_catalogues(str(directory))
        for bundle in webassets_tools.env:
            bundle.urls()  # built if missing or older than its sources
