"""Issue a key for the open API (Open311 GeoReport v2): `manage.py create_api_client "县12345热线" --township baita`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from liaison.apikeys import api_client_create
from liaison.models import Township


class Command(BaseCommand):
    help = "Create an API client of the open API and print its key (shown this once only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="who integrates, e.g. the county hotline")
        parser.add_argument("--township", action="append", default=[], metavar="CODE",
                            help="a township code it may file into (repeat for more); none: every township")

    def handle(self, *args, name: str, township: list[str], **options) -> None:
        townships = list(Township.objects.filter(code__in=township))
        if unknown := sorted(set(township) - {t.code for t in townships}):
            raise CommandError(f"No township has the code {', '.join(unknown)}.")
        try:
            client, key = api_client_create(name=name, townships=townships)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        where = ", ".join(t.code for t in townships) or "every township"
        self.stdout.write(f"API client {client.name!r} may file into {where}.")
        self.stdout.write("Its key (shown this once; only a hash is stored):")
        self.stdout.write(key)
