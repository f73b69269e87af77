"""A built wheel (a non-editable install) carries the schemas and the catalogues."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import venv
import zipfile

from tests.helpers import REPO_ROOT, VENV_BIN

CHECK_INSTALLED_PACKAGE = textwrap.dedent(
    """
    import gettext, importlib.resources, json, yaml
    import ckanext.vndata
    schemas = importlib.resources.files("ckanext.vndata.schemas")
    schema = yaml.safe_load((schemas / "vndata_dataset.yaml").read_text("utf-8"))
    catalogues = importlib.resources.files("ckanext.vndata.i18n")
    vi = gettext.translation("ckanext-vndata", str(catalogues), languages=["vi"])
    print(json.dumps({
        "package": ckanext.vndata.__file__,
        "schema_type": schema["dataset_type"],
        "field_names": [f["field_name"] for f in schema["dataset_fields"]],
        "vi": vi.gettext("National open-data portal"),
    }))
    """
)


def test_wheel_in_a_fresh_venv_loads_schema_and_vietnamese_catalogue(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [VENV_BIN / "pip", "wheel", "-q", "--no-deps", "-w", dist, REPO_ROOT],
        check=True,
        timeout=600,
    )
    (wheel,) = dist.glob("ckanext_vndata-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "ckanext/vndata/schemas/vndata_dataset.yaml" in names
    assert "ckanext/vndata/i18n/vi/LC_MESSAGES/ckanext-vndata.mo" in names
    shipped_sources = {
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "ckanext").rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix
        in {".py", ".yaml", ".json", ".html", ".ini", ".mako", ".svg", ".csv", ".ttl"}
    }
    assert shipped_sources - set(names) == set()

    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    pip = target / "bin" / "pip"
    subprocess.run([pip, "install", "-q", "--no-deps", wheel, "PyYAML"], check=True)
    result = subprocess.run(
        [target / "bin" / "python", "-c", CHECK_INSTALLED_PACKAGE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )

    loaded = json.loads(result.stdout)
    assert loaded["package"].startswith(str(target))
    assert loaded["schema_type"] == "dataset"
    assert {"title", "name", "owner_org"} <= set(loaded["field_names"])
    assert loaded["vi"] == "Cổng dữ liệu mở quốc gia"
    assert sys.prefix not in loaded["package"]
