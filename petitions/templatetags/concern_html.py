"""{% load concern_html %}: a concern's status badge and deadline, the officials' list's row and the desk's card,
written in Python.

A desk list's first view drew its 30 rows or cards through the template engine at about 0.3-0.6 ms each,
every cell a variable looked up and escaped and two includes each: as much as the rest of the page. The same
HTML written with format_html costs a tenth of that (as liaison.forms.QuickSelect does for long selects).
The case page and the public tracking page use the badge and the deadline too: one place for each."""

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def status_badge(concern) -> SafeString:
    """The status as a coloured badge, and "overdue" beside it when it is."""
    colour = concern.status_colour
    badge = format_html('<span class="badge status-badge text-bg-{}{}" data-status="{}">{}</span>',
                        colour, " border" if colour == "light" else "", concern.status, concern.get_status_display())
    if concern.is_overdue:
        badge += format_html(' <span class="badge text-bg-danger overdue-badge">{}</span>', gettext("Overdue"))
    return badge


@register.simple_tag
def deadline(concern) -> SafeString:
    """The deadline's date, red when overdue; a dash when there is none."""
    if not concern.deadline_on:
        return format_html('<span class="text-body-secondary">{}</span>', "—")
    late = " text-danger fw-semibold is-overdue" if concern.is_overdue else ""
    return format_html('<span class="deadline text-nowrap{}">{}</span>', late,
                       formats.date_format(concern.deadline_on, "Y-m-d"))


@register.simple_tag
def concern_row(concern) -> SafeString:
    """One row of the officials' list (templates/petitions/work/partials/concern_listing.html): a tick box
    for the bulk forward, the case's link, status, excerpt, outcome, where it is, who has it and its dates."""
    code = concern.tracking
    return format_html(
        '<tr class="concern-row{}" data-tracking="{}">\n'
        '<td class="text-center"><input class="form-check-input" type="checkbox" name="concerns" value="{}"'
        ' id="tick-{}" aria-label="{}"></td>\n'
        '<td><a class="font-monospace" href="{}">{}</a></td>\n'
        '<td class="text-nowrap">{}</td>\n'
        '<td class="concern-excerpt"><label for="tick-{}">{}</label></td>\n'
        '<td class="concern-outcome" data-outcome="{}">{}</td>\n'
        "<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n"
        '<td class="text-nowrap">{}</td>\n<td class="text-nowrap">{}</td>\n</tr>',
        " table-danger" if concern.is_overdue else "", code,
        code, code, gettext("Tick %(code)s") % {"code": code},
        reverse("desk:concern", args=[code]), code,
        status_badge(concern),
        code, Truncator(concern.content).chars(40),
        concern.outcome, concern.get_outcome_display() or "—",
        concern.category.name,
        _name_or_dash(concern.village), _name_or_dash(concern.deputy), _name_or_dash(concern.unit),
        deadline(concern),
        formats.date_format(timezone.localtime(concern.created_at), "Y-m-d"),
        formats.date_format(timezone.localtime(concern.updated_at), "m-d H:i"),
    )


def _name_or_dash(row) -> str:
    return row.name if row is not None and row.name else "—"


@register.simple_tag
def concern_card(concern, show_deputy: bool = False) -> SafeString:
    """One concern as a phone-sized card (a deputy's inbox, a handler's queue, the filings held for review);
    the whole card opens the case page."""
    facts = [format_html("<span>{}</span>", concern.category.name)]
    if concern.village:
        facts.append(format_html("<span>{}</span>", concern.village.name))
    if show_deputy and concern.deputy:
        facts.append(format_html("<span>{}: {}</span>", gettext("Deputy"), concern.deputy.name))
    if concern.unit:
        facts.append(format_html("<span>{}</span>", concern.unit.name))
    if concern.is_open and concern.deadline_on:
        facts.append(format_html("<span>{}: {}</span>", gettext("Deadline"), deadline(concern)))
    facts.append(format_html("<span>{}: {}</span>", gettext("Filed"),
                             formats.date_format(timezone.localtime(concern.created_at), "Y-m-d")))
    return format_html(
        '<article class="card concern-card mb-2{}" data-tracking="{}">\n<div class="card-body p-2">\n'
        '<div class="d-flex justify-content-between align-items-start gap-2">\n'
        '<a class="stretched-link fw-semibold font-monospace text-decoration-none" href="{}">{}</a>\n'
        '<span class="text-end">{}</span>\n</div>\n'
        '<p class="mb-1 small text-truncate">{}</p>\n'
        '<div class="small text-body-secondary d-flex flex-wrap column-gap-3">\n{}\n</div>\n</div>\n</article>',
        " border-danger" if concern.is_overdue else "", concern.tracking,
        reverse("desk:concern", args=[concern.tracking]), concern.tracking,
        status_badge(concern), concern.content, SafeString("\n".join(facts)),
    )
