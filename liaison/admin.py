"""The admin under the station's own name, not "Django administration" (Django 管理); the county and its
townships; the admin classes every township's model uses; the calendar and the outbox."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison import apikeys
from liaison.accounts.admin import TwoFactorResetAction
from liaison.calendar import calendar_warning
from liaison.forms import TownshipModelForm
from liaison.masking import mask_mobile
from liaison.models import (
    ApiClient,
    AuditEntry,
    CalendarDay,
    County,
    Membership,
    Notification,
    Township,
    TownshipHost,
)
from liaison.scoping import accounts_of, current_township


def _station_name() -> str:
    township = current_township()
    return township.station_name if township else settings.STATION_NAME or gettext(
        "Baita Town Deputy Liaison Station")


class _InOneTownship:
    """Changes are made in one township: a county account looking at the whole county reads only,
    until it chooses a township (the rows it adds then belong to that one)."""

    form = TownshipModelForm

    # Accounts are the county's (liaison.scoping.COUNTY_WIDE): a unit's members, a deputy's login and the
    # like are chosen among those working in this township, never among every account of the county.
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is get_user_model():
            kwargs["queryset"] = _accounts_here()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is get_user_model():
            kwargs["queryset"] = _accounts_here()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_add_permission(self, request, *args) -> bool:
        return current_township() is not None and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return current_township() is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return current_township() is not None and super().has_delete_permission(request, obj)


def _accounts_here():
    township = current_township()
    return accounts_of(township) if township else get_user_model().objects.none()


class TownshipAdmin(_InOneTownship, admin.ModelAdmin):
    """The admin of a township's model: its rows come through the scoped manager (liaison.scoping)."""

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        # Looking at the whole county, each row says whose it is.
        return ["township", *shown] if current_township() is None else shown


class TownshipInline(_InOneTownship, admin.TabularInline):
    pass


class TownshipHostInline(admin.TabularInline):
    model = TownshipHost
    extra = 1


@admin.register(Township)
class TownshipModelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "station_name", "site_url", "is_default", "position"]
    inlines = [TownshipHostInline]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class StationUserAdmin(TwoFactorResetAction, UserAdmin):
    inlines = [MembershipInline]
    list_display = [*UserAdmin.list_display, "membership"]
    actions = ["reset_two_factor"]


# Lazy: read per page, in the page's language and with the settings of the moment.
admin.site.site_header = admin.site.site_title = lazy(_station_name, str)()
admin.site.index_title = _("Station administration")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_workday", "is_provisional"]
    list_filter = ["is_workday", "is_provisional"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        if warning := calendar_warning():
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)


@admin.register(Notification)
class NotificationAdmin(TownshipAdmin):
    list_display = ["created_at", "channel", "masked_recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["recipient", "body", "key"]
    # The recipient's number (also in the once-only key) shows masked, as everywhere in the back office.
    fields = readonly_fields = [
        "masked_recipient" if f.name == "recipient" else f.name
        for f in Notification._meta.fields if f.name not in ("id", "key")] + ["about"]
    actions = ["retry"]

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj: Notification) -> str:
        return obj.recipient if "@" in obj.recipient else mask_mobile(obj.recipient)

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send again"))
    def retry(self, request, queryset) -> None:
        from liaison.celery import delay_after_commit
        from liaison.tasks import deliver_notification_task

        ids = list(queryset.filter(status=Notification.Status.FAILED).values_list("pk", flat=True))
        queryset.filter(pk__in=ids).update(status=Notification.Status.PENDING, attempts=0)
        # Pending again: a broker that does not answer leaves them to the sweep instead of a 500.
        for pk in ids:
            delay_after_commit(deliver_notification_task, pk)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Keys of the open API. Superusers only: a key files concerns in the townships' names."""

    list_display = ["name", "key_prefix", "is_active", "created_at"]
    list_filter = ["is_active"]
    readonly_fields = ["key_prefix", "created_at"]
    filter_horizontal = ["townships"]
    actions = ["rotate_key"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        key = apikeys.assign_new_key(obj)
        super().save_model(request, obj, form, change)
        self._show_key(request, obj, key)

    def _show_key(self, request, client: ApiClient, key: str) -> None:
        messages.warning(request, gettext(
            "The API key of %(name)s is %(key)s — copy it now: it is stored only as a hash and is not shown again."
        ) % {"name": client.name, "key": key})

    @admin.action(description=_("Issue a new key (the old one stops working)"))
    def rotate_key(self, request, queryset) -> None:
        for client in queryset:
            self._show_key(request, client, apikeys.api_client_rotate_key(client=client))


@admin.register(AuditEntry)
class AuditEntryAdmin(TownshipAdmin):
    """The audit log, to read and filter only: no add, no change, no delete (not even by a superuser)."""

    list_display = ["at", "actor", "action", "subject_type", "subject", "reason"]
    list_filter = ["action", "at", "subject_type"]
    search_fields = ["subject", "reason", "actor__username"]
    list_select_related = ["actor", "subject_type"]
    date_hierarchy = "at"
    actions = None

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def view_on_site(request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
    """The admin's "view on site" redirect, for the rows of the user's township only. Django's own
    (contenttypes' shortcut) finds the row with the unscoped base manager: given another township's row
    number, it sent an account of township A on to township B's case page, tracking code and all."""
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        found = model is not None and model._default_manager.filter(pk=object_id).exists()
    except (ObjectDoesNotExist, ValueError, ValidationError):
        found = False
    if not found:
        raise Http404
    return shortcut(request, content_type_id, object_id)
