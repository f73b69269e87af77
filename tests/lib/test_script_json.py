"""JSON inside a <script> block: nothing in a value ends the block, and the text
still reads back as the same data."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from ckanext.vndata.lib.script_json import vndata_script_json
from tests.fuzz import FUZZ, HOSTILE_WORDS


def test_a_title_that_closes_the_script_stays_inside_it():
    title = "</script><script>alert(1)</script><!-- & -->"

    written = vndata_script_json({"title": title})

    assert "<" not in written and ">" not in written and "&" not in written
    assert json.loads(written) == {"title": title}


@FUZZ
@given(st.one_of(st.sampled_from(HOSTILE_WORDS), st.text()))
def test_any_text_reads_back_unchanged_and_never_opens_a_tag(text):
    written = vndata_script_json({"labels": [text], "n": 1})

    assert json.loads(written) == {"labels": [text], "n": 1}
    assert "</" not in written and "<!--" not in written
