"""Scheming schemas and presets, referenced as ``ckanext.vndata.schemas:<file>``."""
