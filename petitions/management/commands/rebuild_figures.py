from django.core.management.base import BaseCommand

from liaison.scoping import each_township
from petitions import rollups


class Command(BaseCommand):
    help = (
        "Count the cockpit's running totals of cases again from the concerns, township by township "
        "(petitions.rollups): after rows were written around the services (a bulk import, SQL by hand). "
        "Safe to run while the station serves: each township is recounted in one transaction."
    )

    def handle(self, *args, **options) -> None:
        for township in each_township():
            rollups.forget()
            days = rollups.catch_up()
            self.stdout.write(f"  {township.code}: {days} days counted")
