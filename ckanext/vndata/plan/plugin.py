from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.translation import VndataTranslation


@tk.blanket.config_declarations
class VndataPlanPlugin(VndataTranslation, p.SingletonPlugin):
    p.implements(p.ITranslation)
