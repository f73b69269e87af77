"""What the Hypothesis fuzz tests share: how they run (derandomized, no example
database, so every run and CI tries the same examples) and the hostile values a
client may send in any field."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz_settings(max_examples: int = 40) -> settings:
    """Reproducible and bounded. Health checks are off: the fixtures a test shares
    with its examples are meant (the examples run on one site, as requests would),
    and a slow or large example is the point of a hostile one."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


FUZZ = fuzz_settings()

HOSTILE_WORDS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "\u200b",
    "\u200b\u200c\u200d\ufeff\u2060",
    "inf",
    "-inf",
    "nan",
    "NaN",
    "1e309",
    "-1",
    "99999999999999999999999",
    "abc",
    "maybe",
    "true",
    "False",
    "31/12/9999",
    "9999-12-31",
    "0001-01-01",
    "00/00/0000",
    "31/02/2025",
    "2025-13-01",
    "10000-01-01",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "Đà Nẵng",
]
HOSTILE = st.one_of(
    st.sampled_from(HOSTILE_WORDS),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**63, -(2**63) - 1, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["a" * 40_000, "Đ" * 9_000, "x" * 1_000_001]),
    st.lists(st.sampled_from(HOSTILE_WORDS + ["mo", "CSV"]), max_size=3),
    st.dictionaries(
        st.sampled_from(["a", "\x00", "vi"]), st.sampled_from(HOSTILE_WORDS), max_size=2
    ),
)
