from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Concerns")

    def ready(self) -> None:
        from liaison import public_pages, roles
        from petitions import record, suggestion_record
        from petitions.rollup_models import RollupMark, _CountyReceptions, _CountyTally, _Group, _Receptions, _Tally

        record.register()  # concerns and receptions on each deputy's duty record (deputies/record.py)
        suggestion_record.register()  # suggestions, order 70
        # The cockpit's running totals: no public page reads them, and their nightly rebuild must not make every
        # township's public pages be drawn afresh (liaison/public_pages.py).
        tallies = (_Tally, _Group, _Receptions, _CountyTally, _CountyReceptions)
        public_pages.unseen(*(model._meta.label for base in tallies for model in base.__subclasses__()),
                            RollupMark._meta.label, "petitions.CountyRollupMark",
                            # A filing taken in shows on no public page; the concern it becomes does.
                            "petitions.Filing")

        desk = {roles.STAFF, roles.OFFICIAL}
        roles.menu_register(key="lookup", url_name="petitions:lookup", label=_("Follow a concern"), order=11,
                            desk=False)
        roles.menu_register(key="concerns", url_name="desk:concerns", label=_("All concerns"), roles=desk, order=20)
        roles.menu_register(key="held", url_name="desk:held", label=_("Held for review"), roles=desk, order=22)
        roles.menu_register(key="receptions", url_name="receptions:list", label=_("Reception register"),
                            roles=desk, order=21)
        roles.menu_register(key="county", url_name="desk:county", label=_("Townships compared"),
                            roles={roles.COUNTY_OFFICIAL, roles.ADMIN}, order=19)
        roles.menu_register(key="inbox", url_name="desk:inbox", label=_("My inbox"), roles={roles.DEPUTY}, order=30)
        roles.menu_register(key="patrol", url_name="desk:patrol", label=_("Patrol report"),
                            roles={roles.DEPUTY}, order=31)
        roles.menu_register(key="my_households", url_name="desk:households", label=_("My households"),
                            roles={roles.DEPUTY}, order=32)
        roles.menu_register(key="suggestions", url_name="desk:suggestions", label=_("Suggestions"),
                            roles={roles.DEPUTY, roles.STAFF, roles.OFFICIAL, roles.HANDLER}, order=33)
        roles.menu_register(key="unit", url_name="desk:unit", label=_("My unit's concerns"),
                            roles={roles.HANDLER}, order=40)
