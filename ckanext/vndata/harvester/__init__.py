"""Plugin vndata_dcat_harvester: harvesting provincial portals into the national one."""
