"""Harvest the corpus of real catalogues (tests/data/real/manifest.json).

Every file of the manifest (a hydra page series as one catalogue) is served from a
loopback HTTP server and harvested through ckanext-harvest's real stages, in this
process, by the harvester the manifest names:

as ``tests/harvester/corpus.py`` serves it to the corpus test (its docstring says
how: page series at rewritten loopback addresses, CKAN Action APIs played from the
recorded answers).

Each catalogue is harvested three times into this site: twice with the minimal source
config (province 48 and a default organization: the first harvest, then an immediate
re-harvest, whose writes are false updates), then, its datasets cleared, once more with
``ckanext.dcat.expose_subcatalogs = true``. Per catalogue and in total it prints the
datasets a human counts in the file, those imported, those quarantined or failed (with
their reasons), gather errors (pages lost), the writes of the re-harvest and the share
imported (goal: 95%); then the commonest reasons and the file that shows each.

No traffic leaves the machine: in this process only loopback names resolve (remote
JSON-LD @context documents therefore cannot be fetched), and connections to any other
address are refused.

    python bench/bench_corpus.py [SUBSTRING ...]   (only the files whose path has one)
"""

from __future__ import annotations

import ast
import collections
import datetime
import ipaddress
import json
import os
import re
import socket
import sys
import time
import traceback

from _site import ROOT, load_site

sys.path.insert(0, str(ROOT))  # the corpus is served as the tests serve it
from tests.harvester.corpus import Case, CorpusServer, cases  # noqa: E402

REAL = ROOT / "tests" / "data" / "real"
PLUGINS = (
    "activity vndata_metadata scheming_datasets scheming_organizations vndata_plan "
    "dcat vndata_dcat harvest vndata_harvester vndata_ckan_harvester"
)
ORGANIZATION = "kho-thu-thap-that"  # the sources' own and default organization
# The minimal config: a province and a default organization ("province_code" is the
# key; config.py refuses any key it does not know, "province" included).
SOURCE_CONFIG = {"province_code": "48", "default_organization": ORGANIZATION}
GOAL = 0.95
SUBCATALOGS = "ckanext.dcat.expose_subcatalogs"

# --- loopback only -------------------------------------------------------------------

_getaddrinfo = socket.getaddrinfo
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _loopback_getaddrinfo(host, port, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name is None or name in ("localhost", "127.0.0.1", "::1"):
        return _getaddrinfo(host, port, *args, **kwargs)
    raise socket.gaierror(
        socket.EAI_NONAME, f"{name}: bench_corpus resolves loopback names only"
    )


def _check_loopback(sock, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0].split("%")[0]
        if not ipaddress.ip_address(host).is_loopback:
            raise ConnectionRefusedError(
                f"bench_corpus connects to loopback only: {host}"
            )


def _loopback_connect(sock, address):
    _check_loopback(sock, address)
    return _connect(sock, address)


def _loopback_connect_ex(sock, address):
    _check_loopback(sock, address)
    return _connect_ex(sock, address)


def loopback_only() -> None:
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                "all_proxy"):  # fmt: skip
        os.environ.pop(key, None)
    socket.getaddrinfo = _loopback_getaddrinfo
    socket.socket.connect = _loopback_connect
    socket.socket.connect_ex = _loopback_connect_ex


# --- the catalogues ------------------------------------------------------------------


# --- harvesting ----------------------------------------------------------------------


def site(tk) -> dict:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": user["name"], "ignore_auth": True}
    try:
        tk.get_action("organization_show")(dict(context), {"id": ORGANIZATION})
    except tk.ObjectNotFound:
        tk.get_action("organization_create")(
            dict(context), {"name": ORGANIZATION, "title": "Kho thu thập thật"}
        )
    return context


def make_source(tk, context, name: str, url: str, kind: str) -> dict:
    return tk.get_action("harvest_source_create")(
        dict(context),
        {
            "name": name,
            "title": name,
            "url": url,
            "source_type": kind,
            "owner_org": ORGANIZATION,
            "config": json.dumps(SOURCE_CONFIG),
        },
    )


def harvest(tk, context, source_id: str, kind: str) -> dict:
    """One job through the real stages; what it did, with the reasons."""
    from ckan import model
    from ckanext.harvest import queue
    from ckanext.harvest.model import (
        HarvestGatherError,
        HarvestJob,
        HarvestObject,
        HarvestObjectError,
    )

    from ckanext.vndata.harvester.quarantine import QUARANTINE

    figures = {"status": collections.Counter(), "quarantined": [], "failed": [],
               "gather": [], "seconds": 0.0}  # fmt: skip
    started = time.perf_counter()
    job = tk.get_action("harvest_job_create")(
        dict(context), {"source_id": source_id, "run": False}
    )
    row = HarvestJob.get(job["id"])
    row.status = "Running"
    row.save()
    harvester = queue.get_harvester(kind)
    try:
        object_ids = queue.gather_stage(harvester, row) or []
        row.gather_finished = datetime.datetime.utcnow()
        row.save()
        for object_id in object_ids:
            try:
                queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
            except Exception as error:  # a crash of one record, not of the run
                model.Session.rollback()
                figures["failed"].append(f"crash: {crash_text(error)}")
        tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {})
    except Exception as error:  # the gather stage itself crashed: its job is finished
        model.Session.rollback()
        figures["gather"].append(f"crash: {crash_text(error)}")
        log_crash()
        row = HarvestJob.get(job["id"])
        row.status = "Finished"
        row.finished = datetime.datetime.utcnow()
        row.save()
    figures["seconds"] = time.perf_counter() - started
    figures["objects"] = 0
    for obj in model.Session.query(HarvestObject).filter_by(harvest_job_id=row.id):
        figures["objects"] += 1
        figures["status"][obj.report_status or obj.state] += 1
        reasons = [e.value for e in obj.extras if e.key == QUARANTINE]
        figures["quarantined"] += reasons
        if obj.report_status == "errored" or obj.state == "ERROR":
            errors = model.Session.query(HarvestObjectError).filter_by(
                harvest_object_id=obj.id
            )
            figures["failed"] += [
                f"{e.stage}: {e.message}" for e in errors if e.message not in reasons
            ] or ([] if reasons else ["errored without a message"])
    figures["gather"] += [
        e.message
        for e in model.Session.query(HarvestGatherError).filter_by(
            harvest_job_id=row.id
        )
    ]
    return figures


def where(path: str, line, function: str) -> str:
    return f"{path.split('site-packages/')[-1].split('/corpus/')[-1]}:{line} {function}"


def crash_text(error: Exception) -> str:
    """The error, where it was raised and the last harvester frame that led there."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return f"{type(error).__name__}: {error}"
    at = [where(frames[-1].filename, frames[-1].lineno, frames[-1].name)]
    ours = [f for f in frames if "/ckanext/" in f.filename]
    if ours and ours[-1] is not frames[-1]:
        at.append("from " + where(ours[-1].filename, ours[-1].lineno, ours[-1].name))
    return f"{type(error).__name__}: {error} [at {', '.join(at)}]"


def condensed(message: str) -> str:
    """A message with a traceback in it: its first line and where it was raised."""
    if "Traceback (most recent call last)" not in message:
        return message
    head = re.split(r"\s*/?\s*Traceback \(most recent call last\)", message)[0]
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\w+)', message)
    return head + (f" [at {where(*frames[-1])}]" if frames else "")


def log_crash() -> None:
    lines = traceback.format_exc().strip().splitlines()
    print("    " + "\n    ".join(lines[-6:]), file=sys.stderr)


def clear(tk, context, source_id: str) -> None:
    """Its datasets, jobs and objects gone, and the source purged: ckanext-harvest
    allows one source per address and config, and catalogues may share an address."""
    from ckan import model

    for action in ("harvest_source_clear", "dataset_purge"):
        try:
            tk.get_action(action)(dict(context), {"id": source_id})
        except Exception as error:
            model.Session.rollback()
            print(f"    ({action} failed: {error})", file=sys.stderr)


def imported(figures: dict) -> int:
    return figures["status"]["added"] + figures["status"]["updated"]


def writes(figures: dict) -> int:
    status = figures["status"]
    return status["added"] + status["updated"] + status["deleted"]


def run_case(tk, context, server: CorpusServer, case: Case) -> dict:
    url = server.serve(case)
    source = make_source(tk, context, f"that-{case.slug}"[:100], url, case.harvester)
    first = harvest(tk, context, source["id"], case.harvester)
    again = harvest(tk, context, source["id"], case.harvester)
    clear(tk, context, source["id"])
    tk.config[SUBCATALOGS] = True
    try:
        other = make_source(
            tk, context, f"that-sub-{case.slug}"[:100], url, case.harvester
        )
        subcatalogs = harvest(tk, context, other["id"], case.harvester)
        clear(tk, context, other["id"])
    finally:
        tk.config[SUBCATALOGS] = False
    return {"first": first, "again": again, "subcatalogs": subcatalogs}


# --- the report ----------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s'\"<>),]+")
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_BNODE = re.compile(r"\bN[0-9a-f]{32}\b")


def reason_key(message: str) -> str:
    """A reason without the addresses and ids that make each occurrence different."""
    message = _BNODE.sub("<bnode>", _ID.sub("<id>", _URL.sub("<url>", message)))
    message = re.sub(r"\s+", " ", message).strip()
    return message[:400]


def short(text: str, width: int = 150) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= width else text[: width - 1] + "…"


COLUMNS = ("recs", "objs", "imp", "quar", "fail", "gath", "rewr", "sub")


def row(name: str, harvester: str, figures: tuple, share: float) -> str:
    numbers = " ".join(f"{figure:4}" for figure in figures)
    return f"{short(name, 52):52} {harvester:11} {numbers} {share:6.0%}"


def report(results: list[tuple[Case, dict | None, str | None]]) -> None:
    header = (
        f"{'catalogue':52} {'harvester':11} "
        + " ".join(f"{column:>4}" for column in COLUMNS)
        + f" {'share':>6}"
    )
    print(header)
    print("-" * len(header))
    totals = collections.Counter()
    reasons: dict[str, dict] = {}
    for case, runs, crash in results:
        totals["records"] += case.records
        totals["catalogues"] += 1
        if runs is None:
            print(f"{short(case.name, 52):52} {case.harvester:11} {case.records:4}  "
                  f"CRASHED: {short(crash or '', 90)}")  # fmt: skip
            note(reasons, f"crash: {crash}", case.name)
            continue
        first, again, sub = runs["first"], runs["again"], runs["subcatalogs"]
        done = imported(first)
        share = min(done, case.records) / case.records if case.records else 1.0
        totals["imported"] += done
        totals["counted"] += min(done, case.records)
        totals["quarantined"] += len(first["quarantined"])
        totals["failed"] += len(first["failed"])
        totals["gather"] += len(first["gather"])
        totals["rewrites"] += writes(again)
        totals["sub"] += imported(sub)
        totals["at_goal"] += share >= GOAL
        totals["objects"] += first["objects"]
        figures = (case.records, first["objects"], done, len(first["quarantined"]),
                   len(first["failed"]), len(first["gather"]), writes(again),
                   imported(sub))  # fmt: skip
        print(row(case.name, case.harvester, figures, share))
        for label, run in (("", first), ("re-harvest ", again), ("subcatalogs ", sub)):
            for kind in ("quarantined", "failed", "gather"):
                for message in map(condensed, run[kind]):
                    if label and message in map(condensed, first[kind]):
                        continue  # said once, for the first harvest
                    print(f"    {label}{kind}: {short(message, 220)}")
                    note(reasons, message, case.name)
        if writes(again):
            print(f"    re-harvest wrote {writes(again)}: {dict(again['status'])}")
    print("-" * len(header))
    share = totals["counted"] / totals["records"] if totals["records"] else 0.0
    figures = tuple(totals[key] for key in ("records", "objects", "imported",
                    "quarantined", "failed", "gather", "rewrites", "sub"))  # fmt: skip
    print(row(f"TOTAL ({totals['catalogues']} catalogues)", "", figures, share))
    print(
        f"share imported: {share:.1%} of {totals['records']} datasets (goal "
        f"{GOAL:.0%}); catalogues at the goal: {totals['at_goal']} of "
        f"{totals['catalogues']}; false updates on re-harvest: {totals['rewrites']}"
    )
    print(
        "columns: recs = datasets counted in the file, objs = harvest objects the "
        "first harvest made, imp = imported by it, quar/fail = records quarantined/"
        "failed, gath = gather errors, rewr = writes of the immediate re-harvest, "
        f"sub = imported with {SUBCATALOGS}=true"
    )
    print(
        "\ncommonest reasons, a validation error's fields apart (catalogues showing "
        "it, occurrences, first catalogue):"
    )
    ranked = sorted(reasons.items(), key=lambda kv: (-len(kv[1]["cases"]), -kv[1]["n"]))
    for key, seen in ranked[:20]:
        print(f"  {len(seen['cases']):3} {seen['n']:4}  {short(key, 300)}\n"
              f"            e.g. {seen['cases'][0]}")  # fmt: skip


def separate(message: str) -> list[str]:
    """A validation error is one reason per field: "<stage>: <field>: <error>"."""
    # The harvesters' own form (harvester/language.py): "<stage>: ... «<title>» ...:
    # <label>: <error>; <label>: <error>", the title apart.
    refused = re.match(r"(\w+): [^«]*«.*?»[^:]*: (.+)$", message, re.S)
    if refused:
        return [f"{refused.group(1)}: {part}" for part in refused.group(2).split("; ")]
    match = re.match(r"(\w+): .*?(\{.*\})\s*$", message, re.S)
    if not match:
        return [message]
    try:
        fields = ast.literal_eval(match.group(2))
    except (ValueError, SyntaxError):
        return [message]
    if not isinstance(fields, dict):
        return [message]
    return [
        f"{match.group(1)}: {key.strip()}: {value}" for key, value in fields.items()
    ]


def note(reasons: dict, message: str, case_name: str) -> None:
    for reason in separate(message):
        seen = reasons.setdefault(reason_key(reason), {"n": 0, "cases": []})
        seen["n"] += 1
        if case_name not in seen["cases"]:
            seen["cases"].append(case_name)


def main() -> None:
    loopback_only()
    selected = cases(sys.argv[1:])
    server = CorpusServer()
    app = load_site(
        ckan__plugins=PLUGINS,
        ckanext__vndata__harvester__allowed_hosts="127.0.0.1",
    )
    import ckan.plugins.toolkit as tk
    from ckan import model

    results = []
    started = time.perf_counter()
    with app._wsgi_app.test_request_context():
        context = site(tk)
        where_from = f"{REAL.relative_to(ROOT)}/manifest.json"
        print(f"{len(selected)} catalogues from {where_from}, served on "
              f"127.0.0.1:{server.port}", file=sys.stderr)  # fmt: skip
        for number, case in enumerate(selected, 1):
            print(f"[{number}/{len(selected)}] {case.name}", file=sys.stderr)
            try:
                results.append((case, run_case(tk, context, server, case), None))
            except Exception as error:  # one catalogue must not stop the others
                model.Session.rollback()
                log_crash()
                results.append((case, None, f"{type(error).__name__}: {error}"))
    report(results)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
