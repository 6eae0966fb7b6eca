from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import translation

from deputies.demo import link_demo_deputy_account, seed_deputies, seed_places
from deputies.models import Deputy, LiaisonHousehold, Site
from liaison import roles
from liaison.demo import ACCOUNTS, DEMO_PASSWORD, seed_accounts
from liaison.scoping import default_township, in_township
from petitions.demo import seed_concerns
from petitions.models import Concern, Reception


class Command(BaseCommand):
    help = (
        "Load the Baita demo data: places, 98 deputies with households, one account per role, "
        "a year of concerns and receptions. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        with in_township(default_township()):
            self._baita()

    def _baita(self) -> None:
        villages, sites = seed_places()
        self.stdout.write(f"Sites: {Site.objects.count()}, villages: {len(villages)}")
        new = seed_deputies(villages, sites)
        self.stdout.write(
            f"Deputies: {Deputy.objects.count()} ({new} new), households: {LiaisonHousehold.objects.count()}"
        )
        seed_accounts()
        link_demo_deputy_account(get_user_model().objects.get(username="deputy"))
        new = seed_concerns()
        self.stdout.write(f"Concerns: {Concern.objects.count()} ({new} new), receptions: {Reception.objects.count()}")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, *_ in ACCOUNTS:
            with translation.override("en"):
                english = str(roles.LABELS[role])
            self.stdout.write(f"  {username:<10} {roles.LABELS[role]} / {english}")
