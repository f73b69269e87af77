"""Plugin vndata_metadata: Vietnamese scheming schemas, presets and validators."""
