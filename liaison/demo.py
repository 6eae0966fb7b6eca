"""One demo account per role of docs/roles.md, for trying the station out."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from deputies.models import Deputy
from liaison import roles

DEMO_PASSWORD = "demo-2026"
ACCOUNTS = [
    # username, role, is_staff (admin site access), full name
    ("staff", roles.STAFF, True, "联络站 工作人员"),
    ("deputy", roles.DEPUTY, False, "王智慧"),
    ("handler", roles.HANDLER, False, "驻村干部 李建华"),
    ("official", roles.OFFICIAL, True, "镇人大主席 陈国平"),
    ("admin", roles.ADMIN, True, "系统管理员"),
]


@transaction.atomic
def seed_accounts() -> list[tuple[str, str]]:
    User = get_user_model()
    created = []
    for username, role, is_staff, full_name in ACCOUNTS:
        user, is_new = User.objects.get_or_create(
            username=username,
            defaults={"is_staff": is_staff, "is_superuser": role == roles.ADMIN, "first_name": full_name},
        )
        if is_new:
            user.set_password(DEMO_PASSWORD)
            user.email = f"{username}@baita.example.cn"  # where escalations and assignments are e-mailed
            user.save(update_fields=["password", "email"])
            created.append((username, role))
        user.groups.add(Group.objects.get(name=role))
    # The demo deputy account is the deputy from the news report who photographed the dumped bottles.
    Deputy.objects.filter(name="王智慧", user__isnull=True).update(user=User.objects.get(username="deputy"))
    return created
