"""What one harvest job knows while a stage of it runs, for both harvester types.

A harvester is a plugin: one instance per process, shared by every job the process
runs (a gather consumer gathers source after source, a fetch consumer imports the
records of many jobs, `ckan vndata_harvester run` may run several). So nothing a job
learns is kept on the instance: each stage makes a VndataHarvestJob (the source's
config, its session, the pages read, the record being imported) and passes it to our
own steps. The steps that ckanext-dcat and ckanext-harvest call with signatures of
their own (IDCATRDFHarvester hooks, the private methods listed in dcat_rdf.py and
ckan_api.py) find it with ``current``: it is current only inside ``running``, in this
thread or task only (a context variable), and forgotten when the stage ends, however
it ends.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from typing import Any, Iterator

import requests

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import rules, secrets, session

_current: contextvars.ContextVar[VndataHarvestJob | None] = contextvars.ContextVar(
    "vndata_harvest_job", default=None
)


@dataclasses.dataclass
class PageBookkeeping:
    """The catalogue pages a ``vndata_dcat`` gather has read so far."""

    urls: set[str] = dataclasses.field(default_factory=set)
    hashes: set[int] = dataclasses.field(default_factory=set)
    failed: str | None = None  # why the run is incomplete (then nothing is withdrawn)
    complete: bool = False  # the parent reached its end without a catalogue error
    url: str | None = None  # the page being read, its format and parsed graph
    kind: str | None = None
    dcat_us: str | None = None  # the DCAT-US version of the page being read (dcatus)
    parsed: Any = None
    # {digest, guids, skipped, whole} of each page, for page_cache.remember
    read: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    skipped_guids: list[str] = dataclasses.field(default_factory=list)
    plans_index: str | None = None  # the plans index the catalogue advertises


@dataclasses.dataclass
class VndataHarvestJob:
    """One job's state during one stage; see the module docstring."""

    job_id: str | None
    source_id: str
    # The source config: given parsed (gather), or parsed when first read (import, so
    # that withdrawing or confirming a record does not depend on the config parsing).
    config_text: str | None = None
    parsed_config: dict[str, Any] | None = None
    session: requests.Session | None = None  # gather: the source's (session.py)
    pages_read: int = 0  # gather: against the source's max_pages
    pages: PageBookkeeping = dataclasses.field(default_factory=PageBookkeeping)
    unusable: list[str] = dataclasses.field(default_factory=list)  # vndata_ckan
    # Import: the record, the import of it it replaces, and that import's dataset.
    importing: Any = None
    previous: Any = None
    previous_package: str | None = None
    organizations: rules.NewOrganizations | None = None
    owner: Any = None  # the source's organization (source_mapping.source_owner)

    @property
    def config(self) -> dict[str, Any]:
        """The parsed source config (config.py)."""
        if self.parsed_config is None:
            self.parsed_config = source_config.parse(self.config_text)
        return self.parsed_config

    @classmethod
    def for_gather(cls, harvest_job) -> VndataHarvestJob:
        """With the source's secrets and a session of its limits (no request yet)."""
        source = harvest_job.source
        config = secrets.parsed_config(source)
        return cls(
            job_id=harvest_job.id,
            source_id=source.id,
            parsed_config=config,
            session=session.session_for(config, source.url),
        )

    @classmethod
    def for_import(cls, harvest_object, user: str) -> VndataHarvestJob:
        """An import needs no secret and reads nothing remote: no session."""
        return cls(
            job_id=harvest_object.harvest_job_id,
            source_id=harvest_object.harvest_source_id,
            config_text=harvest_object.source.config,
            importing=harvest_object,
            organizations=rules.NewOrganizations(user),
        )


@contextlib.contextmanager
def running(job: VndataHarvestJob) -> Iterator[VndataHarvestJob]:
    token = _current.set(job)
    try:
        yield job
    finally:
        _current.reset(token)


def current(harvest_job_id: str | None = None) -> VndataHarvestJob | None:
    """The job whose stage is running here; None outside our stages, or when
    ``harvest_job_id`` names another job (another harvester's hooks run too)."""
    job = _current.get()
    if job is None or (harvest_job_id is not None and job.job_id != harvest_job_id):
        return None
    return job
