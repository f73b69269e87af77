"""Plugin vndata_harvester: harvesting provincial portals into the national one."""
