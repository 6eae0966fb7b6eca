"""The peer's data, run with the peer's own Python (bench/helpdesk_peer.py):

    python -m bench.helpdesk_peer.seed TICKETS

Migrates, makes one public queue and a ticket with three public follow-ups through the ORM, copies them
with generate_series SQL to TICKETS tickets (as many as the station holds concerns), then counts the SQL
queries of one request to each public page through Django's test client, and prints what the bench needs
as one JSON line: the queue, the ticket to view (queue slug and id, e-mail, key), the counts.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.helpdesk_peer.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from helpdesk.models import FollowUp, Queue, Ticket  # noqa: E402

EMAIL = "zhang.wei@example.cn"


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [column.name for column in connection.introspection.get_table_description(cursor, table)
                if column.name != "id"]


def _copy(template: Ticket, count: int) -> None:
    """count - 1 copies of the template ticket, each with the template's follow-ups."""
    columns = _columns("helpdesk_ticket")
    changed = {"created": "now() - g * interval '1 minute'", "modified": "now() - g * interval '1 minute'",
               "secret_key": "md5(random()::text)"}
    values = ", ".join(changed.get(column, f"t.{column}") for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO helpdesk_ticket ({', '.join(columns)})
            SELECT {values} FROM helpdesk_ticket t CROSS JOIN generate_series(2, %s) AS g WHERE t.id = %s""",
            [count, template.pk])
        followup_columns = _columns("helpdesk_followup")
        followup_values = ", ".join("t.id" if column == "ticket_id" else f"f.{column}" for column in followup_columns)
        cursor.execute(f"""
            INSERT INTO helpdesk_followup ({', '.join(followup_columns)})
            SELECT {followup_values} FROM helpdesk_followup f CROSS JOIN helpdesk_ticket t
            WHERE f.ticket_id = %s AND t.id <> %s""", [template.pk, template.pk])
        cursor.execute("VACUUM ANALYZE helpdesk_ticket")
        cursor.execute("VACUUM ANALYZE helpdesk_followup")


def _queries(client: Client, method: str, path: str, data: dict | None = None) -> int:
    getattr(client, method)(path, data)  # the first request warms what a server keeps
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data)
    assert response.status_code < 400, (path, response.status_code)
    return len(queries)


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    queue = Queue.objects.create(title="民情反映", slug="minqing", allow_public_submission=True,
                                 email_address="station@example.cn")
    ticket = Ticket.objects.create(queue=queue, title="村口路灯不亮", description="村口路灯已经坏了两个多月，晚上很危险。",
                                   submitter_email=EMAIL, priority=3)
    for n, comment in enumerate(["已收到，转交村镇建设办公室。", "已派人查看。", "路灯已修复。"]):
        FollowUp.objects.create(ticket=ticket, title=f"更新 {n + 1}", comment=comment, public=True)
    _copy(ticket, count)
    client = Client(HTTP_HOST="127.0.0.1")
    view = f"/view/?ticket={ticket.ticket_for_url}&email={EMAIL}&key={ticket.secret_key}"
    form = {"queue": queue.pk, "title": "路灯不亮", "body": "村口路灯坏了。", "priority": 3, "submitter_email": EMAIL}
    print(json.dumps({
        "queue": queue.pk, "email": EMAIL, "view": view, "tickets": Ticket.objects.count(),
        "queries": {"form": _queries(client, "get", "/tickets/submit/"),
                    "post": _queries(client, "post", "/tickets/submit/", form),
                    "view": _queries(client, "get", view)},
    }))


if __name__ == "__main__":
    main(int(sys.argv[1]))
