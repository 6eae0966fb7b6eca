"""Files the desk downloads: the concern list and the reception register as .xlsx workbooks.

Written by liaison.spreadsheets.write_xlsx (formula-like text stays text; at most `limit` rows,
and a file cut short says so in its last row). Builds files from rows a selector loads
(petitions.selectors.concern_list, petitions.receptions.reception_search); no request, no response.
"""

import datetime
from collections.abc import Sequence
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.spreadsheets import XLSX_CONTENT_TYPE, Column, write_xlsx
from petitions.models import Reception

__all__ = ["XLSX_CONTENT_TYPE", "concern_list_xlsx", "reception_register_xlsx", "register_span"]

# Rows a database cursor hands over at a time (and the batch in which the register's deputies
# and concern codes are fetched).
_CHUNK = 2000


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    # Spreadsheets know no time zones: write the station's wall-clock time.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _span(date_from: datetime.date, date_to: datetime.date) -> str:
    return _("From %(start)s to %(end)s") % {"start": f"{date_from:%Y-%m-%d}", "end": f"{date_to:%Y-%m-%d}"}


def _filename(stem: str, date_from: datetime.date, date_to: datetime.date) -> str:
    return f"{stem}_{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx"


# The concern list -------------------------------------------------------------------------------

def _concern_columns() -> list[Column]:
    def name(related) -> str:
        return related.name if related else ""

    return [
        Column(_("Tracking code"), 12, lambda c: c.tracking),
        Column(_("Filed at"), 17, lambda c: _local(c.created_at), "yyyy-mm-dd hh:mm"),
        Column(_("Channel"), 14, lambda c: c.get_channel_display()),
        Column(_("Status"), 10, lambda c: c.get_status_display()),
        Column(_("Outcome"), 10, lambda c: c.get_outcome_display()),
        Column(_("Category"), 12, lambda c: c.category.name),
        Column(_("Village"), 12, lambda c: name(c.village)),
        Column(_("Deputy"), 10, lambda c: name(c.deputy)),
        Column(_("Handling unit"), 18, lambda c: name(c.unit)),
        Column(_("Deadline"), 12, lambda c: c.deadline_on),
        Column(_("Last change"), 17, lambda c: _local(c.updated_at), "yyyy-mm-dd hh:mm"),
        Column(_("Constituent"), 10, lambda c: c.constituent.name if c.constituent else ""),
        Column(_("Mobile"), 13, lambda c: c.constituent.mobile if c.constituent else ""),
        Column(_("Content"), 60, lambda c: c.content, wrap=True),
        Column(_("Result"), 40, lambda c: c.result, wrap=True),
    ]


def concern_list_xlsx(
    concerns, *, date_from: datetime.date, date_to: datetime.date, limit: int
) -> tuple[IO[bytes], bool, str]:
    """The desk's concern list as a workbook: (file, is_cut, file name), as write_xlsx.

    `concerns` is the list's queryset, in its order, with constituent loaded as well.
    """
    records = concerns[: limit + 1].iterator(chunk_size=_CHUNK)
    title = f"{_('Concerns')} {_span(date_from, date_to)}"
    file, is_cut = write_xlsx(
        title=title, sheet_title=_("Concerns"), columns=_concern_columns(), records=records, limit=limit
    )
    return file, is_cut, _filename("concerns", date_from, date_to)


# The reception register --------------------------------------------------------------------------

def register_span(
    receptions: Sequence[Reception], *, date_from: datetime.date | None, date_to: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The range asked for, or else the one the rows span: what the printed form shows."""
    dates = [reception.received_on for reception in receptions]
    start = date_from or (min(dates) if dates else None)
    end = date_to or (max(dates) if dates else None)
    return start, end


def _register_columns() -> list[Column]:
    return [
        Column(_("Date"), 12, lambda r: r.received_on),
        Column(_("Site"), 20, lambda r: r.site.name),
        Column(_("Deputies on duty"), 20, lambda r: "、".join(d.name for d in r.deputies.all()), wrap=True),
        Column(_("Visitor"), 10, lambda r: r.constituent.name),
        Column(_("Mobile"), 14, lambda r: r.constituent.mobile),
        Column(_("Village"), 12, lambda r: r.village.name if r.village else ""),
        Column(_("Number of visitors"), 10, lambda r: r.visitor_count),
        Column(_("Matters raised"), 50, lambda r: r.matters, wrap=True),
        Column(_("Answer / handling"), 50, lambda r: r.answer, wrap=True),
        Column(_("Satisfaction"), 12, lambda r: r.get_satisfaction_display()),
        Column(_("Concern codes"), 16, lambda r: ", ".join(c.tracking for c in r.concerns.all()), wrap=True),
    ]


def reception_register_xlsx(
    receptions, *, date_from: datetime.date, date_to: datetime.date, limit: int
) -> tuple[IO[bytes], bool, str]:
    """The register as a workbook: (file, is_cut, file name), as write_xlsx.

    `receptions` is reception_search's queryset, in its order. Headers follow the active
    language; the range goes into the document's title, where file browsers and printouts show it.
    """
    records = receptions[: limit + 1].iterator(chunk_size=_CHUNK)
    title = f"{_('Reception register')} {_span(date_from, date_to)}"
    file, is_cut = write_xlsx(
        title=title, sheet_title=_("Reception register"), columns=_register_columns(), records=records, limit=limit
    )
    return file, is_cut, _filename("reception-register", date_from, date_to)

