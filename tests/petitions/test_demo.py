import datetime

import pytest
from django.utils import timezone

from liaison.scoping import in_township
from petitions.demo import seed_concerns
from petitions.models import Concern, ConcernEvent
from tests.factories import DeputyFactory, SiteFactory, VillageFactory, the_township

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.mark.django_db
@pytest.mark.parametrize("clock", [datetime.time(7, 10), datetime.time(11, 44)])
def test_demo_concerns_never_happen_after_now_and_their_timelines_run_forward(clock, time_machine):
    # A morning start is the hard case: concerns "filed today" were drawn at office hours up to 19:59.
    now = datetime.datetime.combine(datetime.date(2026, 11, 20), clock, tzinfo=SHANGHAI)
    time_machine.move_to(now, tick=False)
    SiteFactory(kind="station", name="白塔镇人大代表联络站")
    villages = VillageFactory.create_batch(3)
    for village in villages:
        DeputyFactory(village=village)

    with in_township(the_township()):
        assert seed_concerns(the_township(), count=300, receptions=10) == 300

    for field in ("created_at", "updated_at", "resolved_at", "closed_at"):
        latest = Concern.objects.exclude(**{f"{field}__isnull": True}).order_by(f"-{field}").first()
        assert getattr(latest, field) <= timezone.now(), (field, latest.tracking)
    assert not ConcernEvent.objects.filter(created_at__gt=timezone.now()).exists()
    assert Concern.objects.filter(created_at__date=timezone.localdate()).exists()  # some were filed today
    for concern in Concern.objects.prefetch_related("events"):
        times = [e.created_at for e in sorted(concern.events.all(), key=lambda e: e.pk)]
        assert times == sorted(times), concern.tracking
        assert times[0] == concern.created_at
        assert concern.updated_at >= times[-1]
