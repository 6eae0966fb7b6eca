from django.contrib import admin

from liaison.admin import TownshipAdmin, TownshipInline
from petitions.models import Category, Concern, ConcernEvent, ConcernPhoto, Constituent, Reception, Unit


@admin.register(Category)
class CategoryAdmin(TownshipAdmin):
    list_display = ["name", "code", "default_unit", "deadline_days", "position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    list_editable = ["deadline_days", "position"]


@admin.register(Unit)
class UnitAdmin(TownshipAdmin):
    list_display = ["name", "kind", "village", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["village"]


@admin.register(Constituent)
class ConstituentAdmin(TownshipAdmin):
    list_display = ["name", "mobile", "village", "created_at"]
    search_fields = ["name", "mobile"]
    list_filter = ["village"]
    list_select_related = ["village"]


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
    fields = ["image", "kind", "is_public"]
    readonly_fields = ["image", "kind"]


@admin.register(Concern)
class ConcernAdmin(TownshipAdmin):
    """Read and correct details here; moves between states happen in the back office, through the workflow."""

    list_display = ["tracking", "status", "outcome", "channel", "category", "village", "deputy", "unit", "deadline_on",
                    "created_at"]
    list_filter = ["status", "outcome", "channel", "category", "village__area", "unit"]
    search_fields = ["tracking", "content", "constituent__mobile", "constituent__name", "deputy__name"]
    list_select_related = ["category", "village", "deputy", "unit"]
    date_hierarchy = "created_at"
    # What the workflow owns is read-only here: a change would bypass its checks, timeline and notices.
    readonly_fields = ["tracking", "channel", "status", "outcome", "constituent", "deputy", "unit", "deadline_on",
                       "result", "merged_into", "submitted_by", "api_client", "reception", "resolved_at", "closed_at",
                       "created_at", "updated_at", "satisfaction", "satisfaction_comment"]
    autocomplete_fields = ["site", "village", "category"]
    inlines = [ConcernPhotoInline, ConcernEventInline]

    def has_add_permission(self, request) -> bool:
        return False  # concerns are filed through the forms, which give them a tracking code and a timeline

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a case is never erased: its timeline is the record


@admin.register(Reception)
class ReceptionAdmin(TownshipAdmin):
    list_display = ["received_on", "site", "constituent", "village", "satisfaction", "recorded_by"]
    list_filter = ["site", "satisfaction", "village__area"]
    search_fields = ["matters", "answer", "constituent__name", "constituent__mobile"]
    date_hierarchy = "received_on"
    filter_horizontal = ["deputies"]
    list_select_related = ["site", "constituent", "village", "recorded_by"]
    autocomplete_fields = ["constituent", "village", "site"]
