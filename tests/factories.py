import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from deputies.models import Area, Deputy, LiaisonHousehold, Site, Village
from deputies.services import public_record_save
from liaison.scoping import default_township
from petitions.forms.public import form_started


def the_township():
    """The default township: made by liaison's migration, made again after a transactional test's flush."""
    return default_township()


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "liaison.County"
        django_get_or_create = ["code"]

    name = "仙居县"
    code = "xianju"


class TownshipFactory(factory.django.DjangoModelFactory):
    """A second (third, …) township of the county; the default one is the_township()."""

    class Meta:
        model = "liaison.Township"

    county = factory.LazyFunction(lambda: the_township().county)
    name = factory.Sequence(lambda n: f"测试{n}镇")
    code = factory.Sequence(lambda n: f"town{n}")
    station_name = factory.LazyAttribute(lambda t: f"{t.name}人大代表联络站")


_same_township = factory.SelfAttribute("..township")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    township = factory.LazyFunction(the_township)
    name = factory.Sequence(lambda n: f"第{n}片区")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.LazyFunction(the_township)
    name = factory.Sequence(lambda n: f"测试{n}村")
    area = factory.SubFactory(AreaFactory, township=_same_township)


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

    township = factory.LazyFunction(the_township)
    name = factory.Sequence(lambda n: f"第{n}代表联络点")
    kind = Site.Kind.POINT
    phone = "0576-87810001"


class DeputyFactory(_PublicCodeFactory):
    class Meta:
        model = Deputy

    township = factory.LazyFunction(the_township)
    name = factory.Sequence(lambda n: f"张{n}")
    level = Deputy.Level.TOWNSHIP
    post = "测试村党支部书记"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    office_phone = "0576-87790001"
    village = factory.SubFactory(VillageFactory, township=_same_township)
    site = factory.SubFactory(SiteFactory, township=_same_township)


class LiaisonHouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonHousehold

    township = factory.LazyFunction(the_township)
    deputy = factory.SubFactory(DeputyFactory, township=_same_township)
    head = factory.Sequence(lambda n: f"户主{n}")
    phone = factory.Sequence(lambda n: f"158{n:08d}")
    village = factory.SubFactory(VillageFactory, township=_same_township)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "petitions.Unit"

    township = factory.LazyFunction(the_township)
    name = factory.Sequence(lambda n: f"测试{n}村驻村干部组")
    kind = "village_team"
    phone = factory.Sequence(lambda n: f"137{n:08d}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "petitions.Category"
        django_get_or_create = ["township", "name"]

    township = factory.LazyFunction(the_township)
    name = factory.Sequence(lambda n: f"类别{n}")
    default_unit = factory.SubFactory(UnitFactory, township=_same_township)
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


def form_opened_long_ago(seconds: int = 60) -> str:
    """The public concern form's signed opening time, as if opened `seconds` ago: a test posting the form at
    once would otherwise be held for review as too fast (FILING_MIN_SECONDS)."""
    return form_started(at=timezone.now() - datetime.timedelta(seconds=seconds))
