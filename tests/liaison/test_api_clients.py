"""The open API's clients: a key shown once and stored only as a hash, issued by superusers only."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from liaison.apikeys import api_client_create, api_client_for_key, api_client_rotate_key, key_hash
from liaison.models import ApiClient
from tests.factories import TownshipFactory, the_township


@pytest.mark.django_db
def test_only_a_hash_of_the_key_is_stored():
    client, key = api_client_create(name="县12345热线")

    assert len(key) >= 40 and client.key_hash == key_hash(key) and key not in client.key_hash
    assert client.key_prefix == key[:8]
    assert api_client_for_key(key) == client
    assert api_client_for_key(key[:-1]) is None and api_client_for_key("") is None


@pytest.mark.django_db
def test_a_new_key_retires_the_old_one():
    client, old = api_client_create(name="县12345热线")

    new = api_client_rotate_key(client=client)

    assert api_client_for_key(old) is None and api_client_for_key(new) == client


@pytest.mark.django_db
def test_a_client_without_townships_files_anywhere_else_only_into_its_own():
    butou = TownshipFactory(code="butou")
    anywhere = api_client_create(name="县门户")[0]
    one = api_client_create(name="埠头镇系统", townships=[butou])[0]

    assert anywhere.may_file_into(the_township()) and anywhere.may_file_into(butou)
    assert one.may_file_into(butou) and not one.may_file_into(the_township())


@pytest.mark.django_db
def test_the_command_prints_the_key_once():
    butou = TownshipFactory(code="butou")
    out = StringIO()

    call_command("create_api_client", "县12345热线", "--township", "butou", stdout=out)

    key = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get()
    assert api_client_for_key(key) == client and list(client.townships.all()) == [butou]


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_township():
    with pytest.raises(CommandError, match="nowhere"):
        call_command("create_api_client", "县12345热线", "--township", "nowhere", stdout=StringIO())
    assert not ApiClient.objects.exists()


@pytest.mark.django_db
def test_the_admin_shows_a_new_key_once(client, admin_user):
    client.force_login(admin_user)

    response = client.post("/admin/liaison/apiclient/add/", {"name": "县政务门户", "is_active": "on"}, follow=True)

    api_client = ApiClient.objects.get()
    shown = re.findall(r"[A-Za-z0-9_-]{43}", " ".join(str(m) for m in response.context["messages"]))
    assert [api_client_for_key(key) for key in shown] == [api_client]
    page = client.get(f"/admin/liaison/apiclient/{api_client.pk}/change/").content.decode()
    assert shown[0] not in page and api_client.key_hash not in page


@pytest.mark.django_db
def test_only_superusers_see_api_clients_even_with_the_model_s_permissions(client, staff):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(content_type__model="apiclient"))
    client.force_login(staff)

    assert client.get("/admin/liaison/apiclient/").status_code == 403
    assert client.post("/admin/liaison/apiclient/add/", {"name": "x", "is_active": "on"}).status_code == 403
    assert not ApiClient.objects.exists()
