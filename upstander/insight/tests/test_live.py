"""The live dataset: the operational database's structured facts in the common schema — on a synthetic force, and
a clear refusal on an empty database."""

from __future__ import annotations

import datetime as dt

import pytest

from upstander.cases.models import Allegation, Case, ReporterLink
from upstander.insight.datasets import DatasetError, load
from upstander.insight.fairness import fairness
from upstander.insight.schema import TABLES
from upstander.people.models import Person

pytestmark = pytest.mark.django_db


def test_an_empty_database_is_refused_with_a_message_saying_what_to_do() -> None:
    with pytest.raises(DatasetError, match="upstander worldgen"):
        load("live")


def test_the_synthetic_force_reads_into_the_common_schema() -> None:
    from upstander.worldgen.generate import generate

    truth = generate(200, 2, 9, progress=False)
    end = dt.date.fromisoformat(truth["window"]["to"])
    data = load("live", date_to=end)
    for table, columns in TABLES.items():
        assert list(data.table(table).columns) == list(columns), table
    assert data.people.height == Person.objects.count()
    assert data.complaints.height == Case.objects.filter(came_to_attention_on__lte=end).count()
    assert data.allegations.height == Allegation.objects.filter(case__came_to_attention_on__lte=end).count()
    assert data.allegations.filter(finding="substantiated").height == Allegation.objects.filter(
        finding="substantiated", case__came_to_attention_on__lte=end).count()
    assert data.reporters.height == ReporterLink.objects.filter(report__case__came_to_attention_on__lte=end).count()
    some = Person.objects.order_by("pk").first()
    assert some.public_id.hex in set(data.people["person_id"].to_list())
    assert set(data.people["ethnicity"].drop_nulls().unique()) <= {"Asian", "Black", "Mixed", "White", "Other"}
    assert data.meta["stages_available"] == ["allegation", "assessed_misconduct", "investigated", "substantiated",
                                             "proceedings", "sanction", "dismissal"]

    document = fairness(data, by="ethnicity", staff_kind="officer")
    assert document["reference"] == "White"
    assert all(not row["missing"] for row in document["rates"])

    from upstander.insight.attrition import attrition

    careers = attrition(data, by="sex")
    groups = {row["group"] for row in careers["promotion"]["by_reporting"]}
    assert "did not report before the board" in groups  # whether a reporter passed a board depends on the seed
    assert groups <= {"reported before the board", "did not report before the board"}
    assert careers["leaving"]["reasons_recorded"] is True
