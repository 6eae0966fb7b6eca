import pytest
from django.urls import reverse

from deputies.models import Area, Deputy, IssuedCode, LiaisonHousehold, Site, Village
from tests.factories import DeputyFactory, LiaisonHouseholdFactory

MODELS = [Area, Village, Site, Deputy, LiaisonHousehold, IssuedCode]


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_lists_and_searches_every_model(client, admin_user, model):
    LiaisonHouseholdFactory()
    client.force_login(admin_user)
    url = reverse(f"admin:deputies_{model._meta.model_name}_changelist")

    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "白塔"}).status_code == 200


@pytest.mark.django_db
def test_staff_adds_a_deputy_in_the_admin_and_it_gets_a_code_and_qr(client, staff, django_capture_on_commit_callbacks):
    from tests.factories import SiteFactory, VillageFactory

    village, site = VillageFactory(), SiteFactory()
    client.force_login(staff)
    data = {
        "name": "陈西荣", "level": Deputy.Level.TOWNSHIP, "gender": "M", "is_active": "on",
        "mobile": "13800000077", "office_phone": "0576-87790077", "village": village.pk, "site": site.pk,
        "households-TOTAL_FORMS": "0", "households-INITIAL_FORMS": "0",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:deputies_deputy_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    deputy = Deputy.objects.get(mobile="13800000077")
    assert deputy.code and deputy.has_current_qr


@pytest.mark.django_db
def test_admin_cannot_delete_a_deputy_only_deactivate(client, admin_user):
    deputy = DeputyFactory()
    client.force_login(admin_user)

    response = client.get(reverse("admin:deputies_deputy_delete", args=[deputy.pk]))

    assert response.status_code == 403


@pytest.mark.django_db
def test_handler_has_no_business_in_the_directory_admin(client, handler):
    handler.is_staff = True
    handler.save()
    client.force_login(handler)

    assert client.get(reverse("admin:deputies_deputy_add")).status_code == 403
