"""Plugin vndata_dcat: the Vietnamese DCAT-AP profile and catalogue endpoints."""
