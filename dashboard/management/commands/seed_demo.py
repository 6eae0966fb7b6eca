import time
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dashboard.demo_study import seed_study
from deputies.demo import DIRECTORIES, link_demo_deputy_account, seed_deputies, seed_places
from deputies.demo_activities import seed_activities
from deputies.demo_duty import seed_duty
from deputies.demo_households import seed_household_contacts
from deputies.models import Activity, Deputy, DutyDay, HouseholdContact, LiaisonHousehold, Site
from liaison import roles
from liaison.demo import ACCOUNTS, DEMO_PASSWORD, TOWNSHIPS, seed_accounts, seed_townships, township_official
from liaison.outbox import notifications_muted
from liaison.scoping import in_township
from petitions.demo import seed_concerns
from petitions.demo_households import seed_household_concerns
from petitions.demo_suggestions import seed_suggestions
from petitions.models import Category, Concern, Reception
from petitions.opinions import opinion_raise_concern
from projects.demo import seed_projects

# township code: (concerns, walk-in receptions) over the year
CASES = {"baita": (300, 600), "hengxi": (40, 30), "butou": (40, 30)}


def _link_receptions_to_duty_days() -> None:
    """Receptions recorded at a site on one of its duty days count for that day (as reception_record does)."""
    days = {(day.site_id, day.held_on): day.pk for day in DutyDay.objects.all()}
    for reception in Reception.objects.filter(duty_day=None).only("pk", "site_id", "received_on"):
        if (pk := days.get((reception.site_id, reception.received_on))) is not None:
            Reception.objects.filter(pk=reception.pk).update(duty_day_id=pk)


class Command(BaseCommand):
    help = (
        "Load the demo county: Baita (places, 98 deputies with households, a year of concerns and receptions) "
        "and two small townships, Hengxi and Butou; one account per role. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_MODE:
            # Its accounts open with a password printed in the README: on a real station they are a way in.
            raise CommandError(
                f"seed_demo makes demo accounts with the published password {DEMO_PASSWORD!r}: it runs only in "
                "demo mode. Set DEMO_MODE=true (make run does); a real station is never seeded."
            )
        townships = seed_townships()
        seed_accounts(townships)
        for code, township in townships.items():
            started = time.monotonic()
            with in_township(township):
                summary = self._township(code, township)
            self.stdout.write(f"{summary} ({time.monotonic() - started:.1f} s)")
        self._logins(townships)

    def _township(self, code: str, township) -> str:
        """Seed one township (its scope is active); returns what it now holds."""
        directory = DIRECTORIES[code]
        villages, sites = seed_places(directory, township)
        new_deputies = seed_deputies(directory, township, villages, sites)
        User = get_user_model()
        concerns, receptions = CASES[code]
        if code == "baita":
            # The Baita logins work its cases: the handler sits in the village team of 白塔村 and the
            # construction office (roads, manholes, street lights), so their desk has work in every state.
            link_demo_deputy_account(User.objects.get(username="deputy"))
            people = {
                "official": User.objects.get(username="official"), "deputy_user": User.objects.get(username="deputy"),
                "handler": User.objects.get(username="handler"),
                "handler_units": ("白塔村驻村干部组", f"{township.name}村镇建设办公室"),
            }
        else:
            people = {"official": township_official(township)}
        new_concerns = seed_concerns(township, count=concerns, receptions=receptions, seed=directory.seed, **people)
        if code == "baita":
            # A year of household visits and calls, and a few concerns raised from them (the demo deputy's too).
            seed_household_contacts(seed=directory.seed)
            seed_household_concerns()
            seed_duty(township)
            _link_receptions_to_duty_days()
            # A year of deputies' suggestions (42, 36 adopted), the demo deputy leading the newest few.
            seed_suggestions(township, official=people["official"], deputy_user=people["deputy_user"])
            # This year's vote on livelihood projects: 12 candidates for 8 places, the 75 township deputies' ballots.
            seed_projects(township, recorded_by=people["official"])
            # Study materials (学习资料) in three categories, two for deputies only with some read receipts.
            seed_study(township, published_by=people["official"])
        # A year of activities; of the enterprises' opinions gathered, the first became a concern (one step).
        opinions = seed_activities(township, recorded_by=people["official"], seed=directory.seed)
        with notifications_muted():  # demo cases text and e-mail nobody
            for opinion in opinions[:1]:
                opinion_raise_concern(opinion=opinion, category=Category.objects.get(name="道路交通"),
                                      content=opinion.text, submitted_by=people["official"],
                                      deputy=opinion.activity.deputies.first())
        sites_by_kind = [Site.objects.filter(kind=k).count() for k in Site.Kind.values]
        return (
            f"{township.name} ({township.code}): sites {'/'.join(map(str, sites_by_kind))} (station/points/rooms), "
            f"villages {len(villages)}, deputies {Deputy.objects.count()} ({new_deputies} new), "
            f"households {LiaisonHousehold.objects.count()} ({HouseholdContact.objects.count()} contacts), "
            f"concerns {Concern.objects.count()} ({new_concerns} new), "
            f"receptions {Reception.objects.count()}, activities {Activity.objects.count()}"
        )

    def _logins(self, townships: dict) -> None:
        site = urlparse(settings.SITE_URL)
        port = f":{site.port}" if site.port else ""
        self.stdout.write("Townships (each on its own host; any other host shows the default township):")
        for code, _name, _station, hosts in TOWNSHIPS:
            addresses = [settings.SITE_URL + "/"] if townships[code].is_default else []
            addresses += [f"{site.scheme}://{host}{port}/" for host in hosts]
            self.stdout.write(f"  {townships[code].name:<6} {'  '.join(addresses)}")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        county = next(iter(townships.values())).county
        for username, role, _is_staff, _name, code in ACCOUNTS:
            with translation.override("en"):
                english = str(roles.LABELS[role])
            where = townships[code].name if code else f"{county.name} (county-wide)"
            self.stdout.write(f"  {username:<10} {where:<18} {roles.LABELS[role]} / {english}")
