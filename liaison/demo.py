"""The demo county (docs/demo-data.md): its townships, and one account per role to try them out."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from liaison import roles
from liaison.models import Membership, Township, TownshipHost
from liaison.scoping import default_township

DEMO_PASSWORD = "demo-2026"
# Baita first: it is the default township (liaison's migration 0005 made it), answering every host no
# township claims, so http://127.0.0.1:8000/ needs no configuration. The two small ones answer
# *.localhost, which browsers and curl resolve to 127.0.0.1 with no DNS.
TOWNSHIPS = [
    # code, name, station name, host names
    ("baita", "白塔镇", "白塔镇人大代表联络站", []),
    ("hengxi", "横溪镇", "横溪镇人大代表联络站", ["hengxi.localhost"]),
    ("butou", "埠头镇", "埠头镇人大代表联络站", ["butou.localhost"]),
]
ACCOUNTS = [
    # username, role, is_staff (admin site access), full name, township code (None: county-wide, no membership)
    ("staff", roles.STAFF, True, "联络站 工作人员", "baita"),
    ("deputy", roles.DEPUTY, False, "王智慧", "baita"),
    ("handler", roles.HANDLER, False, "驻村干部 李建华", "baita"),
    ("official", roles.OFFICIAL, True, "镇人大主席 陈国平", "baita"),
    ("admin", roles.ADMIN, True, "系统管理员", None),
    ("county", roles.COUNTY_OFFICIAL, True, "县人大常委会 联络工委 李明", None),
    ("hengxi", roles.STAFF, True, "横溪镇联络站 工作人员 张丽", "hengxi"),
]


@transaction.atomic
def seed_townships() -> dict[str, Township]:
    """The demo townships by code, with their host names; Baita is whatever the default township is."""
    baita = default_township()
    townships = {"baita": baita}
    for position, (code, name, station_name, hosts) in enumerate(TOWNSHIPS):
        if code != "baita":
            townships[code], _ = Township.objects.get_or_create(code=code, defaults={
                "county": baita.county, "name": name, "station_name": station_name, "position": position})
        for host in hosts:
            TownshipHost.objects.get_or_create(host=host, defaults={"township": townships[code]})
    return townships


@transaction.atomic
def seed_accounts(townships: dict[str, Township]) -> list[tuple[str, str]]:
    """The demo accounts, each a member of its township (county accounts of none). Returns the new ones."""
    User = get_user_model()
    created = []
    for username, role, is_staff, full_name, code in ACCOUNTS:
        user, is_new = User.objects.get_or_create(
            username=username,
            defaults={"is_staff": is_staff, "is_superuser": role == roles.ADMIN, "first_name": full_name},
        )
        if is_new:
            user.set_password(DEMO_PASSWORD)
            user.email = f"{username}@{code or 'xianju'}.example.cn"  # where escalations and assignments are e-mailed
            user.save(update_fields=["password", "email"])
            created.append((username, role))
        user.groups.add(Group.objects.get(name=role))
        if code:
            Membership.objects.get_or_create(user=user, defaults={"township": townships[code]})
    return created


def township_official(township: Township):
    """The official who takes up a small demo township's concerns: an account nobody logs in with (no
    password), so the case timelines name a person, as Baita's name its demo official."""
    user, is_new = get_user_model().objects.get_or_create(
        username=f"official-{township.code}", defaults={"first_name": f"{township.name}人大主席团"})
    if is_new:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=roles.OFFICIAL))
    Membership.objects.get_or_create(user=user, defaults={"township": township})
    return user
