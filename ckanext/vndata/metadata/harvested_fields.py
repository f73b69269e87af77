"""The names a harvest source may send that have no field on this portal, labelled.

A harvest keeps such values as extras (harvester/policy.py) and the dataset page lists
them: ckanext-dcat's DCAT-AP properties (its profiles' extras keys), a remote CKAN's
own fields, the source catalogue's description and the record's identifiers. A name
nobody declared here is shown as the source's own field name (``<code>``).
"""

from __future__ import annotations

from ckanext.vndata.lib.i18n import N_

SOURCE_FIELDS = {
    # The record's identifiers and the source catalogue (policy.py, ckanext-dcat).
    "uri": N_("Identifier at the source"),
    "guid": N_("Record identifier at the source"),
    "identifier": N_("Identifier declared by the source"),
    "alternate_identifier": N_("Other identifiers at the source"),
    "homepage": N_("Home page at the source"),
    "theme": N_("Themes at the source"),
    "source_catalog_description": N_("Description of the source catalogue"),
    "source_catalog_homepage": N_("Home page of the source catalogue"),
    "source_catalog_language": N_("Language of the source catalogue"),
    "source_catalog_modified": N_("Source catalogue last updated"),
    # The agents of DCAT-AP, as ckanext-dcat flattens them.
    "publisher_name": N_("Publisher's name at the source"),
    "publisher_uri": N_("Publisher's URI at the source"),
    "publisher_identifier": N_("Publisher's code at the source"),
    "publisher_email": N_("Publisher's email at the source"),
    "publisher_url": N_("Publisher's website at the source"),
    "publisher_type": N_("Publisher's type at the source"),
    "contact_name": N_("Contact's name at the source"),
    "contact_uri": N_("Contact's URI at the source"),
    "contact_identifier": N_("Contact's code at the source"),
    "contact_email": N_("Contact's email at the source"),
    "contact_url": N_("Contact's website at the source"),
    "creator_name": N_("Creator's name at the source"),
    "creator_uri": N_("Creator's URI at the source"),
    "creator_identifier": N_("Creator's code at the source"),
    "creator_email": N_("Creator's email at the source"),
    "creator_url": N_("Creator's website at the source"),
    "creator_type": N_("Creator's type at the source"),
    # DCAT-AP's other properties.
    "access_rights": N_("Access rights at the source"),
    "applicable_legislation": N_("Applicable legislation at the source"),
    "conforms_to": N_("Standards followed, at the source"),
    "dcat_type": N_("Kind of dataset at the source"),
    "documentation": N_("Documentation at the source"),
    "frequency": N_("Update frequency at the source"),
    "has_version": N_("Other versions at the source"),
    "hvd_category": N_("High-value dataset category at the source"),
    "is_referenced_by": N_("Referenced by, at the source"),
    "is_version_of": N_("Version of, at the source"),
    "issued": N_("Issued at the source"),
    "language": N_("Languages at the source"),
    "modified": N_("Last updated at the source"),
    "provenance": N_("Provenance at the source"),
    "qualified_relation": N_("Related resources at the source"),
    "related_resource": N_("Related resources at the source"),
    "sample": N_("Samples at the source"),
    "source": N_("Derived from, at the source"),
    "spatial": N_("Area covered at the source (geometry)"),
    "spatial_bbox": N_("Area covered at the source (bounding box)"),
    "spatial_centroid": N_("Area covered at the source (centre)"),
    "spatial_resolution_in_meters": N_("Spatial resolution at the source (metres)"),
    "spatial_text": N_("Area covered at the source"),
    "spatial_uri": N_("Area covered at the source (URI)"),
    "temporal_end": N_("End of the period covered, at the source"),
    "temporal_resolution": N_("Time resolution at the source"),
    "temporal_start": N_("Start of the period covered, at the source"),
    "version": N_("Version at the source"),
    "version_notes": N_("Version notes at the source"),
    # A remote CKAN's own fields.
    "author": N_("Author at the source"),
    "author_email": N_("Author's email at the source"),
    "maintainer": N_("Maintainer at the source"),
    "maintainer_email": N_("Maintainer's email at the source"),
    "url": N_("Source address of the data at the source"),
}
