"""liaison.forms.TownshipChoiceField: each form's choices are the current township's, read in one plain query."""

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.forms import TownshipChoiceField
from liaison.scoping import in_township
from petitions.models import Unit
from tests.factories import TownshipFactory, UnitFactory, the_township


class _UnitForm(forms.Form):
    unit = TownshipChoiceField(queryset=lambda: Unit.objects.order_by("name"), empty_label="全部")


def test_a_select_reads_its_township_choices_once_without_a_server_side_cursor(db):
    township = the_township()
    ours = UnitFactory(township=township, name="甲组")
    UnitFactory(township=TownshipFactory(code="butou", name="埠头镇"), name="乙组")
    with in_township(township):
        form = _UnitForm()
        with CaptureQueriesContext(connection) as queries:
            first, again = str(form["unit"]), str(form["unit"])
    assert first == again
    assert f'<option value="{ours.pk}">甲组</option>' in first and "乙组" not in first
    # One SELECT, no DECLARE … CURSOR (PostgreSQL's iterator()), not one read per drawing.
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["SELECT"]
