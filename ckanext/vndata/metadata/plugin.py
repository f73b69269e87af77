from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata import helpers
from ckanext.vndata.translation import VndataTranslation


@tk.blanket.config_declarations
@tk.blanket.helpers(helpers)
class VndataMetadataPlugin(VndataTranslation, p.SingletonPlugin):
    p.implements(p.ITranslation)
