from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputies")

    def ready(self) -> None:
        from deputies import activities, duty_selectors, households, record
        from liaison import roles

        record.register_section(duty_selectors.duty_record_section, order=10)
        record.register_timeline(duty_selectors.duty_record_timeline)
        roles.menu_register(key="duty", url_name="duty:roster", label=_("Duty roster"), order=45, desk=False,
                            roles=(roles.STAFF, roles.OFFICIAL))
        roles.menu_register(key="my_duty", url_name="duty:mine", label=_("My duty"), order=32, desk=False,
                            roles=(roles.DEPUTY,))

        roles.menu_register(key="directory", url_name="deputies:directory", label=_("Deputies"), order=10, desk=False)
        roles.menu_register(key="window", url_name="deputies_staff:window", label=_("Image window"),
                            perm="deputies.print_window", order=50, desk=False)
        roles.menu_register(key="import", url_name="deputies_staff:import", label=_("Import"),
                            perm="deputies.import_deputies", order=51, desk=False)
        roles.menu_register(key="households", url_name="deputies_staff:households", label=_("Liaison households"),
                            roles={roles.STAFF, roles.OFFICIAL}, order=25)
        record.register_section(households.household_section, order=30)
        record.register_timeline(households.household_timeline)
        roles.menu_register(key="activities", url_name="activities_staff:list", label=_("Activities"),
                            roles={roles.STAFF, roles.OFFICIAL}, order=26)
        roles.menu_register(key="activities_public", url_name="activities:list", label=_("Deputies at work"),
                            order=12, desk=False)
        record.register_section(activities.activities_section, order=20)
        record.register_section(activities.reports_to_voters_section, order=40)
        record.register_timeline(activities.activities_timeline)
        roles.menu_register(key="my_report", url_name="deputies_staff:my_report", label=_("My work report"),
                            roles={roles.DEPUTY}, order=32)
