from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.db import TimeStampedModel
from liaison.scoping import TownshipScoped
from liaison.validators import mobile_validator, phone_validator


class IssuedCode(models.Model):
    """Every public code ever handed out, so none is handed out twice (docs/public-urls.md)."""

    code = models.CharField(_("code"), max_length=16, primary_key=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued code")
        verbose_name_plural = _("issued codes")

    def __str__(self) -> str:
        return self.code


class HasPublicCode(models.Model):
    """A row with a printed QR code: its short public code and the rendered images."""

    code = models.CharField(_("public code"), max_length=16, unique=True, editable=False)
    qr_png = models.FileField(_("QR code (PNG)"), upload_to="qr/", blank=True, editable=False)
    qr_svg = models.FileField(_("QR code (SVG)"), upload_to="qr/", blank=True, editable=False)
    # The URL the current images encode; differs from public_url() after the township's address changes.
    qr_target = models.CharField(_("QR target"), max_length=300, blank=True, editable=False)

    class Meta:
        abstract = True

    def public_url(self) -> str:
        return self.township.public_url + self.get_absolute_url()

    @property
    def has_current_qr(self) -> bool:
        return bool(self.qr_png and self.qr_svg and self.qr_target == self.public_url())


class Area(TownshipScoped):
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="area_unique_name")]

    def __str__(self) -> str:
        return self.name


class Village(TownshipScoped):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.VILLAGE)
    area = models.ForeignKey(Area, models.PROTECT, related_name="villages", verbose_name=_("area"))

    class Meta:
        ordering = ["area__position", "name"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="village_unique_name")]

    def __str__(self) -> str:
        return self.name


class Site(TimeStampedModel, HasPublicCode, TownshipScoped):
    class Kind(models.TextChoices):
        STATION = "station", _("Liaison station")
        POINT = "point", _("Liaison point")
        ROOM = "room", _("County deputy liaison room")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(
        Area, models.PROTECT, null=True, blank=True, related_name="sites", verbose_name=_("area"),
        help_text=_("The area a liaison point serves; empty for the station."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="site_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sites:site", args=[self.code])


class Deputy(TimeStampedModel, HasPublicCode, TownshipScoped):
    class Level(models.IntegerChoices):
        # Ordered from highest to lowest so ordering by level groups the directory.
        NATIONAL = 1, _("National")
        PROVINCIAL = 2, _("Provincial")
        CITY = 3, _("City")
        COUNTY = 4, _("County")
        TOWNSHIP = 5, _("Township")

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    name = models.CharField(_("name"), max_length=50)
    # Filled from the name by deputies.services on every save: the directory's order (deputies.pinyin).
    name_pinyin = models.CharField(_("name in pinyin"), max_length=255, blank=True, editable=False)
    photo = models.ImageField(_("photo"), upload_to="deputies/photos/", blank=True)
    # Made from the photo by deputies.services (deputies.portraits): what public pages show instead
    # of an upload that may be a 5 MB camera picture. Empty: no photo, or made on the next save.
    portrait_small = models.ImageField(_("portrait for lists"), upload_to="deputies/portraits/", blank=True,
                                       editable=False)
    portrait_large = models.ImageField(_("portrait for the deputy's page"), upload_to="deputies/portraits/",
                                       blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    post = models.CharField(_("post"), max_length=100, blank=True, help_text=_("e.g. Party secretary of Baita Village"))
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, validators=[mobile_validator])
    publish_mobile = models.BooleanField(
        _("publish mobile"), default=False,
        help_text=_("Show the personal mobile on the public page. Only with the deputy's consent."),
    )
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True, validators=[phone_validator])
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="deputies", verbose_name=_("village")
    )
    constituency = models.CharField(_("constituency"), max_length=100, blank=True)
    site = models.ForeignKey(Site, models.PROTECT, null=True, blank=True, related_name="deputies", verbose_name=_("site"))
    biography = models.TextField(_("biography"), blank=True)
    term = models.CharField(_("term"), max_length=50, blank=True, help_text=_("e.g. 17th Township People's Congress"))
    is_active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="deputy",
        verbose_name=_("login account"),
    )

    class Meta:
        ordering = ["level", "name_pinyin"]
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        permissions = [
            ("import_deputies", _("Can import deputies from a spreadsheet")),
            ("print_window", _("Can print the deputy image window")),
        ]
        constraints = [
            # The import matches rows to deputies by mobile number, within the township.
            models.UniqueConstraint(
                fields=["township", "mobile"], condition=~models.Q(mobile=""), name="deputy_unique_mobile"
            ),
        ]
        indexes = [
            # The directory: a township's active deputies by level, then by the pinyin of the name; also serves
            # its letter filter (a range on name_pinyin) and the list of initials.
            models.Index(fields=["township", "is_active", "level", "name_pinyin"], name="deputy_directory_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("deputies:profile", args=[self.code])

    # The sized portrait, else the photo as uploaded (its portraits not made yet), else "".
    @property
    def portrait_small_url(self) -> str:
        return (self.portrait_small or self.photo).url if self.photo else ""

    @property
    def portrait_large_url(self) -> str:
        return (self.portrait_large or self.photo).url if self.photo else ""


class LiaisonHousehold(TimeStampedModel, TownshipScoped):
    deputy = models.ForeignKey(Deputy, models.CASCADE, related_name="households", verbose_name=_("deputy"))
    head = models.CharField(_("head of household"), max_length=50)
    phone = models.CharField(_("phone"), max_length=11, validators=[mobile_validator])
    village = models.ForeignKey(Village, models.PROTECT, related_name="households", verbose_name=_("village"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["deputy", "village", "head"]
        verbose_name = _("liaison household")
        verbose_name_plural = _("liaison households")

    def __str__(self) -> str:
        return self.head
