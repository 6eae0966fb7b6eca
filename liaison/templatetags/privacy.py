"""{% load privacy %}: the facts the privacy notice states (templates/partials/consent.html), from settings."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def privacy_notice() -> dict:
    days = settings.PERSONAL_DATA_RETENTION_DAYS
    return {
        "version": settings.PRIVACY_NOTICE_VERSION,
        "retention_years": days // 365 if days % 365 == 0 else None,
        "retention_days": days,
        "contact": settings.PRIVACY_CONTACT,
    }
