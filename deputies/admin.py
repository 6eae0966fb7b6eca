from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from deputies.models import Area, Deputy, IssuedCode, LiaisonHousehold, Site, Village
from deputies.services import public_code_change, public_record_save, qr_schedule
from liaison.admin import TownshipAdmin, TownshipInline


class PublicCodeAdmin(TownshipAdmin):
    """Shared by deputies and sites: both carry a printed QR code that must keep working."""

    readonly_fields = ["code", "qr_preview", "created_at", "updated_at"]
    actions = ["regenerate_qr", "issue_new_code"]

    def save_model(self, request, obj, form, change) -> None:
        public_record_save(record=obj)

    # Rows are deactivated, never deleted: a deleted row would turn printed posters into dead links.
    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("QR code"))
    def qr_preview(self, obj) -> str:
        if not obj.pk or not obj.qr_svg:
            return "—"
        return format_html(
            '<a href="{}"><img src="{}" width="120" height="120" alt=""></a> <a href="{}">PNG</a>',
            obj.get_absolute_url(), obj.qr_svg.url, obj.qr_png.url,
        )

    @admin.action(description=_("Regenerate QR images"))
    def regenerate_qr(self, request, queryset) -> None:
        with transaction.atomic():
            for record in queryset:
                type(record).objects.filter(pk=record.pk).update(qr_target="")
                record.qr_target = ""
                qr_schedule(record=record)
        self.message_user(request, ngettext("%d QR code queued.", "%d QR codes queued.", queryset.count()) % queryset.count())

    @admin.action(description=_("Issue a new public code (old posters stop working)"))
    def issue_new_code(self, request, queryset) -> None:
        with transaction.atomic():
            for record in queryset:
                public_code_change(record=record)
        self.message_user(request, _("New codes issued; print new posters."), messages.WARNING)


class LiaisonHouseholdInline(TownshipInline):
    model = LiaisonHousehold
    extra = 0
    fields = ["head", "phone", "village", "address", "note"]
    autocomplete_fields = ["village"]


@admin.register(Deputy)
class DeputyAdmin(PublicCodeAdmin):
    list_display = ["name", "level", "post", "site", "village", "office_phone", "is_active", "code"]
    list_filter = ["level", "is_active", "gender", "site", "village__area", "village"]
    search_fields = ["name", "post", "organisation", "mobile", "code"]
    list_select_related = ["site", "village"]
    autocomplete_fields = ["village", "site", "user"]
    inlines = [LiaisonHouseholdInline]
    fieldsets = [
        (None, {"fields": ["name", "photo", "gender", "level", "post", "organisation", "term", "is_active"]}),
        (_("Contact"), {"fields": ["office_phone", "mobile", "publish_mobile"]}),
        (_("Where"), {"fields": ["village", "constituency", "site"]}),
        (_("Profile"), {"fields": ["biography", "user"]}),
        (_("Public code"), {"fields": ["code", "qr_preview", "created_at", "updated_at"]}),
    ]


@admin.register(Site)
class SiteAdmin(PublicCodeAdmin):
    list_display = ["name", "kind", "area", "phone", "is_active", "code"]
    list_filter = ["kind", "is_active", "area"]
    search_fields = ["name", "address", "code"]
    list_select_related = ["area"]


@admin.register(Area)
class AreaAdmin(TownshipAdmin):
    list_display = ["name", "position"]
    search_fields = ["name"]


@admin.register(Village)
class VillageAdmin(TownshipAdmin):
    list_display = ["name", "kind", "area"]
    list_filter = ["kind", "area"]
    search_fields = ["name"]
    list_select_related = ["area"]


@admin.register(LiaisonHousehold)
class LiaisonHouseholdAdmin(TownshipAdmin):
    list_display = ["head", "phone", "village", "deputy", "address"]
    list_filter = ["village__area", "village", "deputy__level"]
    search_fields = ["head", "phone", "address", "deputy__name"]
    list_select_related = ["village", "deputy"]
    autocomplete_fields = ["deputy", "village"]


@admin.register(IssuedCode)
class IssuedCodeAdmin(admin.ModelAdmin):
    """Read-only ledger: proves a code was never handed out twice."""

    list_display = ["code", "issued_at"]
    search_fields = ["code"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
