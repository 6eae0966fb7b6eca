import factory
from django.contrib.auth import get_user_model

from deputies.models import Area, Deputy, LiaisonHousehold, Site, Village
from deputies.services import public_record_save


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"第{n}片区")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    name = factory.Sequence(lambda n: f"测试{n}村")
    area = factory.SubFactory(AreaFactory)


class _PublicCodeFactory(factory.django.DjangoModelFactory):
    """Saves through the service, as the admin and the import do, so codes and QR scheduling are real."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return public_record_save(record=model_class(*args, **kwargs))


class SiteFactory(_PublicCodeFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"第{n}代表联络点")
    kind = Site.Kind.POINT
    phone = "0576-87810001"


class DeputyFactory(_PublicCodeFactory):
    class Meta:
        model = Deputy

    name = factory.Sequence(lambda n: f"张{n}")
    level = Deputy.Level.TOWNSHIP
    post = "测试村党支部书记"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    office_phone = "0576-87790001"
    village = factory.SubFactory(VillageFactory)
    site = factory.SubFactory(SiteFactory)


class LiaisonHouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonHousehold

    deputy = factory.SubFactory(DeputyFactory)
    head = factory.Sequence(lambda n: f"户主{n}")
    phone = factory.Sequence(lambda n: f"158{n:08d}")
    village = factory.SubFactory(VillageFactory)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "petitions.Unit"

    name = factory.Sequence(lambda n: f"测试{n}村驻村干部组")
    kind = "village_team"
    phone = factory.Sequence(lambda n: f"137{n:08d}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "petitions.Category"
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"类别{n}")
    default_unit = factory.SubFactory(UnitFactory)
    deadline_days = 5


class ConcernFactory(factory.Factory):
    """Files through petitions.services.concern_submit, as the public form does."""

    class Meta:
        model = dict

    channel = "qr"
    category = factory.SubFactory(CategoryFactory)
    content = factory.Sequence(lambda n: f"第{n}号反映：村口路灯不亮。")
    mobile = factory.Sequence(lambda n: f"136{n:08d}")
    name = "陈西荣"
    deputy = factory.SubFactory(DeputyFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from petitions.services import concern_submit

        concern, _created = concern_submit(**kwargs)
        return concern

    _build = _create
