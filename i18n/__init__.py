"""Translation catalogues of the ``ckanext-vndata`` gettext domain."""
