"""CKAN plugins for Vietnamese open-data portals (ckanext-vndata)."""
