from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.dcat.interfaces import IDCATRDFHarvester

from ckanext.vndata.harvester.ckan import VndataCKANHarvester
from ckanext.vndata.harvester.harvester import VndataDCATRDFHarvester
from ckanext.vndata.translation import VndataTranslation


@tk.blanket.config_declarations
class VndataDcatHarvesterPlugin(VndataTranslation, VndataDCATRDFHarvester):
    """Harvester type ``vndata_dcat`` (IHarvester, inherited from DCATRDFHarvester)."""

    p.implements(p.ITranslation)
    p.implements(IDCATRDFHarvester, inherit=True)


class VndataCkanHarvesterPlugin(VndataTranslation, VndataCKANHarvester):
    """Harvester type ``vndata_ckan`` (config options declared with vndata_dcat's)."""

    p.implements(p.ITranslation)
