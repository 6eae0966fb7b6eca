"""liaison.forms.QuickSelect writes the same <select> as Django's Select, without a template per option."""

import re

from django import forms

from liaison.forms import QuickSelect

CHOICES = [("", "全部"), ("村 & 组", [("a", "东村 <一组>"), ("b", "西村")]), ("c", "南村"), (7, "七号")]


def _tidy(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_it_writes_what_django_select_writes_for_groups_selection_escaping_and_attributes():
    for value in ("b", "", None, 7, "c"):
        attrs = {"class": "form-select", "id": "id_x", "disabled": True}
        quick = QuickSelect(attrs=attrs, choices=CHOICES).render("x", value)
        assert quick == _tidy(forms.Select(attrs=attrs, choices=CHOICES).render("x", value)), value
    assert 'value="b" selected' in QuickSelect(choices=CHOICES).render("x", "b")
    assert "东村 &lt;一组&gt;" in QuickSelect(choices=CHOICES).render("x", "")
