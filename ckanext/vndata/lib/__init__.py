"""What several plugins share and no plugin owns: Vietnamese text, vocabularies,
administrative units, agency codes, licences, openness stars, dates and ids.

Nothing here imports a plugin package (metadata, plan, dcat, harvester), so every plugin
may import it without a cycle.
"""
