"""The admin under the station's own name, not "Django administration" (Django 管理); the calendar and the outbox."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.calendar import calendar_warning
from liaison.models import CalendarDay, Notification


def _station_name() -> str:
    return settings.STATION_NAME or gettext("Baita Town Deputy Liaison Station")


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
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["recipient", "body", "key"]
    readonly_fields = [f.name for f in Notification._meta.fields] + ["about"]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send again"))
    def retry(self, request, queryset) -> None:
        from liaison.tasks import deliver_notification_task

        ids = list(queryset.filter(status=Notification.Status.FAILED).values_list("pk", flat=True))
        queryset.filter(pk__in=ids).update(status=Notification.Status.PENDING, attempts=0)
        for pk in ids:
            deliver_notification_task.delay(pk)
