from django.core.management.base import BaseCommand

from liaison.scoping import county_wide
from petitions import rollups


class Command(BaseCommand):
    help = (
        "Count the cockpit's running totals of cases again from the concerns, township by township, then the "
        "county's (petitions.rollups): after rows were written around the services (a bulk import, SQL by hand). "
        "Safe to run while the station serves: each township is recounted in one transaction."
    )

    def handle(self, *args, **options) -> None:
        # Every township forgotten first, then one catch-up: the county's own rows are counted whole once.
        with county_wide():
            rollups.forget()
            days = rollups.catch_up()
        self.stdout.write(f"  {days} days counted")
