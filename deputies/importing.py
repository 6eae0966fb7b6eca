"""Import deputies from the station's spreadsheet (.xlsx or .csv).

All rows are checked before anything is written: one bad row and nothing is
imported, and every bad row is reported with its row number. Rows are matched
to existing deputies by mobile number, so re-importing a file updates.
"""

import csv
import io
import itertools
import zipfile
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.models import Deputy, Site, Village
from deputies.services import public_record_save
from liaison.forms import TownshipChoiceField
from liaison.validators import normalise_mobile

MAX_ROWS = 5000

# (form field, column title). Titles are recognised in every UI language.
COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("gender", gettext_lazy("Gender")),
    ("level", gettext_lazy("Level")),
    ("post", gettext_lazy("Post")),
    ("organisation", gettext_lazy("Organisation")),
    ("mobile", gettext_lazy("Mobile")),
    ("publish_mobile", gettext_lazy("Publish mobile")),
    ("office_phone", gettext_lazy("Office phone")),
    ("village", gettext_lazy("Village")),
    ("constituency", gettext_lazy("Constituency")),
    ("site", gettext_lazy("Site")),
    ("term", gettext_lazy("Term")),
    ("biography", gettext_lazy("Biography")),
]
_YES = {"是", "y", "yes", "true", "1", "公开"}


class DeputyRowForm(forms.ModelForm):
    village = TownshipChoiceField(lambda: Village.objects.all(), to_field_name="name", required=False)
    site = TownshipChoiceField(lambda: Site.objects.all(), to_field_name="name", required=False)

    class Meta:
        model = Deputy
        fields = [key for key, _title in COLUMNS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(self._meta.fields):
            del self.fields[name]  # declared lookups for columns this file lacks
        self.fields["mobile"].required = True  # the key that makes a re-import update
        for name, message in (
            ("village", gettext_lazy("No village of this name.")),
            ("site", gettext_lazy("No site of this name.")),
        ):
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = message


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[dict] = field(default_factory=list)  # {"row": n, "messages": [...]}

    @property
    def ok(self) -> bool:
        return not self.errors


def _labels(choices) -> dict[str, str]:
    """Every way a choice may be written in a cell: value, English and Chinese label."""
    mapping = {}
    for value, label in choices:
        mapping[str(value).lower()] = str(value)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                text = str(label).lower()
            # "市级", "市", "市级代表", "市级人大代表" all mean the city level; "女性" means female.
            for variant in (text, text.removesuffix("级"), text + "代表", text + "人大代表", text + "性"):
                mapping[variant] = str(value)
    for short in ("镇", "镇级", "镇级代表", "镇人大代表"):
        if "乡镇" in mapping:
            mapping.setdefault(short, mapping["乡镇"])
    return mapping


def _header_map() -> dict[str, str]:
    mapping = {}
    for key, title in COLUMNS:
        mapping[key] = key
        for language in ("en", "zh-hans"):
            with translation.override(language):
                mapping[str(title).strip().lower()] = key
    return mapping


class UnreadableFile(Exception):
    """The upload is not a spreadsheet we can read; the message is translated."""


def _read_rows(upload) -> list[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) for every non-empty row, at most MAX_ROWS + 1 of them."""
    data = upload.read()
    if upload.name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            rows = sheet.iter_rows(values_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise UnreadableFile(_("This is not an Excel (.xlsx) workbook.")) from exc
        cells = (["" if cell is None else str(cell).strip() for cell in row] for row in rows)
    else:
        # Excel in China saves CSV as GB18030 unless told otherwise.
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UnreadableFile(_("The file is neither UTF-8 nor GB18030 text."))
        cells = ([cell.strip() for cell in row] for row in csv.reader(io.StringIO(text)))
    numbered = ((number, row) for number, row in enumerate(cells, start=1) if any(row))
    try:
        return list(itertools.islice(numbered, MAX_ROWS + 2))
    except (csv.Error, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(_("The file is damaged and cannot be read.")) from exc


def _normalise(record: dict, levels: dict, genders: dict) -> dict:
    data = dict(record)
    for key, mapping in (("level", levels), ("gender", genders)):
        # Unknown text passes through so the form reports it as an invalid choice.
        data[key] = mapping.get(data.get(key, "").lower(), data.get(key, ""))
    data["publish_mobile"] = data.get("publish_mobile", "").lower() in _YES
    data["mobile"] = normalise_mobile(data.get("mobile", ""))
    return data


def deputies_import(*, upload) -> ImportResult:
    """Validate every row of the upload; write all rows only if all are valid."""
    result = ImportResult()
    try:
        rows = _read_rows(upload)
    except UnreadableFile as exc:
        result.errors.append({"row": 0, "messages": [str(exc)]})
        return result
    if not rows:
        result.errors.append({"row": 0, "messages": [_("The file is empty.")]})
        return result
    headers = _header_map()
    header_number, header = rows[0]
    keys = [headers.get(title.strip().lower()) for title in header]
    missing = [str(title) for key, title in COLUMNS if key not in keys and key in ("name", "level", "mobile")]
    if missing:
        result.errors.append(
            {"row": header_number, "messages": [_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}]}
        )
        return result
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append({"row": 0, "messages": [_("At most %(n)d rows per file.") % {"n": MAX_ROWS}]})
        return result

    # Only the columns the file has are written, so an update keeps the rest.
    row_form = forms.modelform_factory(Deputy, form=DeputyRowForm, fields=[k for k in keys if k])
    levels, genders = _labels(Deputy.Level.choices), _labels(Deputy.Gender.choices)
    existing = {d.mobile: d for d in Deputy.objects.exclude(mobile="")}
    titles = {key: str(title) for key, title in COLUMNS}  # errors name the column as the sheet does
    seen: dict[str, int] = {}
    valid_forms = []
    for number, row in rows[1:]:
        record = {key: cell for key, cell in zip(keys, row) if key}
        data = _normalise(record, levels, genders)
        form = row_form(data, instance=existing.get(data["mobile"]))
        messages = [f"{titles.get(k, k)}：{m}" for k, ms in form.errors.items() for m in ms]
        mobile = data["mobile"]
        if mobile and mobile in seen:
            messages.append(_("Mobile %(mobile)s is already on row %(row)d.") % {"mobile": mobile, "row": seen[mobile]})
        seen.setdefault(mobile, number)
        if messages:
            result.errors.append({"row": number, "messages": messages})
        else:
            valid_forms.append(form)
    if result.errors:
        return result
    deputies_save_imported(forms=valid_forms, result=result)
    return result


def deputies_save_imported(*, forms, result: ImportResult) -> None:
    with transaction.atomic():
        for form in forms:
            is_new = form.instance.pk is None
            public_record_save(record=form.save(commit=False))
            if is_new:
                result.created += 1
            else:
                result.updated += 1


def template_rows() -> list[str]:
    return [str(title) for _key, title in COLUMNS]
