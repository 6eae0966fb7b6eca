"""The admin of the case records. What a constituent said, agreed to and gave about themselves is read-only
here, and so is what the workflow owns (status, outcome, result): a change in the admin would write no
timeline event and no audit row. Corrections go through petitions.privacy, from the case page
(docs/privacy.md); moves through the workflow. Mobiles show masked, as in the back office's lists."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.admin import TownshipAdmin, TownshipInline
from liaison.audit import Action, audit_record
from liaison.masking import mask_mobile
from petitions import intake
from petitions.models import (
    AnswerCategory,
    Category,
    Concern,
    ConcernEvent,
    ConcernPhoto,
    Constituent,
    Filing,
    Reception,
    Unit,
)


@admin.register(Category)
class CategoryAdmin(TownshipAdmin):
    list_display = ["name", "code", "default_unit", "deadline_days", "position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    list_editable = ["deadline_days", "position"]


@admin.register(AnswerCategory)
class AnswerCategoryAdmin(TownshipAdmin):
    """The township's answer categories of suggestions (docs/suggestions.md): which count as adopted and
    which are followed up. A township starts with A/B/C/D (petitions.suggestion_services)."""

    list_display = ["code", "label", "is_adopted", "needs_follow_up", "order"]
    list_editable = ["is_adopted", "needs_follow_up", "order"]


@admin.register(Unit)
class UnitAdmin(TownshipAdmin):
    list_display = ["name", "kind", "village", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["village"]


class _ReadOnlyRecords:
    """Records made by the filing forms (with the privacy notice) and changed only through services.
    Opening one shows a constituent's data, as the case page does: audited the same way."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and (obj := self.get_object(request, object_id)) is not None:
            constituent = obj if isinstance(obj, Constituent) else obj.constituent
            if constituent is not None:
                audit_record(actor=request.user, action=Action.OPEN_RECORD, subject=constituent,
                             label=f"admin {obj._meta.model_name} #{obj.pk}")  # never str(obj): a name
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # erasure on request anonymises (petitions.privacy); a case's timeline is the record


@admin.register(Constituent)
class ConstituentAdmin(_ReadOnlyRecords, TownshipAdmin):
    list_display = ["name", "masked_mobile", "village", "created_at", "anonymised_at"]
    search_fields = ["name", "mobile"]
    list_filter = ["village"]
    list_select_related = ["village"]
    fields = readonly_fields = ["name", "masked_mobile", "village", "created_at", "updated_at", "anonymised_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # name, mobile and village are corrected on the case page, with a reason (audited)

    @admin.display(description=_("mobile"), ordering="mobile")
    def masked_mobile(self, obj: Constituent) -> str:
        return mask_mobile(obj.mobile)


class ConcernEventInline(TownshipInline):
    model = ConcernEvent
    extra = 0
    fields = ["created_at", "kind", "actor", "actor_role", "from_status", "to_status", "note", "is_public"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ConcernPhotoInline(TownshipInline):
    model = ConcernPhoto
    extra = 0
    fields = readonly_fields = ["image", "kind", "is_public"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Concern)
class ConcernAdmin(_ReadOnlyRecords, TownshipAdmin):
    """Category, village and site may be put right here; moves between states happen in the back office,
    through the workflow, and the constituent's words and consent are corrected there (petitions.privacy)."""

    list_display = ["tracking", "status", "outcome", "channel", "category", "village", "deputy", "unit", "deadline_on",
                    "created_at"]
    list_filter = ["status", "outcome", "channel", "category", "village__area", "unit"]
    search_fields = ["tracking", "content", "constituent__mobile", "constituent__name", "deputy__name"]
    list_select_related = ["category", "village", "deputy", "unit"]
    date_hierarchy = "created_at"
    # What the workflow owns is read-only here: a change would bypass its checks, timeline and notices. So is
    # what the constituent wrote and agreed to (content, place, position, consent, rating): petitions.privacy.
    readonly_fields = ["tracking", "channel", "status", "outcome", "constituent", "deputy", "unit", "deadline_on",
                       "result", "merged_into", "submitted_by", "api_client", "reception", "resolved_at", "closed_at",
                       "created_at", "updated_at", "satisfaction", "satisfaction_comment",
                       "content", "place", "latitude", "longitude", "is_public", "notice_version", "anonymised_at"]
    autocomplete_fields = ["site", "village", "category"]
    inlines = [ConcernPhotoInline, ConcernEventInline]

    # No add (concerns are filed through the forms, which give them a tracking code, a timeline and the
    # notice) and no delete (a case is never erased: its timeline is the record): _ReadOnlyRecords.


@admin.register(Reception)
class ReceptionAdmin(_ReadOnlyRecords, TownshipAdmin):
    list_display = ["received_on", "site", "constituent", "village", "satisfaction", "recorded_by"]
    list_filter = ["site", "satisfaction", "village__area"]
    search_fields = ["matters", "answer", "constituent__name", "constituent__mobile"]
    date_hierarchy = "received_on"
    filter_horizontal = ["deputies"]
    list_select_related = ["site", "constituent", "village", "recorded_by"]
    autocomplete_fields = ["site"]
    # The visitor and what they said are theirs: corrected through petitions.privacy, never here.
    readonly_fields = ["constituent", "village", "matters", "answer", "satisfaction", "notice_version",
                       "anonymised_at", "created_at", "updated_at"]


@admin.register(Filing)
class FilingAdmin(TownshipAdmin):
    """The public form's filings not yet registered as concerns (petitions.intake). A failed one waits here
    until it is registered again; none is edited or deleted here (what the filer wrote stays as written)."""

    list_display = ["tracking", "state", "deputy", "site", "attempts", "last_error", "created_at"]
    list_filter = ["state"]
    fields = readonly_fields = ["tracking", "state", "deputy", "site", "concern", "attempts", "last_error",
                                "created_at"]
    actions = ["register_again"]

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Register again"), permissions=["change"])
    def register_again(self, request, queryset) -> None:
        count = intake.register_again(queryset)
        self.message_user(request, _("%(count)d filings will be registered again.") % {"count": count})
