"""Masking for public pages (docs/privacy.md): 138****5678, 王**. Use on every public page that shows a person."""

from django import template

register = template.Library()


@register.filter
def mask_mobile(value: str) -> str:
    value = str(value or "")
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"


@register.filter
def mask_name(value: str) -> str:
    value = str(value or "")
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)
