"""{% load masking %}: the masking filters for every public page that shows a person."""

from django import template

from liaison import masking

register = template.Library()
register.filter("mask_mobile", masking.mask_mobile)
register.filter("mask_name", masking.mask_name)
