"""Plugin vndata_plan: open-data plans per agency, their workflow and compliance."""
