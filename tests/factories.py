"""Factories for the Vietnamese schemas (CKAN factory subclasses)."""

from __future__ import annotations

import factory

from ckan.tests import factories


class VnDataset(factories.Dataset):
    """A dataset that passes the Vietnamese schema and the publication gate."""

    title = factory.Sequence(lambda n: f"Tập dữ liệu thử nghiệm {n}")
    notes = "Dữ liệu phục vụ kiểm thử."
    sectors = factory.LazyFunction(lambda: ["xa-hoi"])
    data_sharing_class = "mo"
    data_importance_class = "khac"
    personal_data_assessed = True
    update_frequency = "hang_nam"
