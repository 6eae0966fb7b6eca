from django import template

from liaison.calendar import calendar_warning as _calendar_warning

register = template.Library()


@register.simple_tag
def calendar_warning() -> str | None:
    """The holiday calendar's warning for staff (the admin's front page and the calendar's list)."""
    return _calendar_warning()
