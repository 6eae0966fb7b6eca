from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Mainland mobile numbers: 11 digits starting 13–19.
mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("Enter a mainland mobile number of 11 digits, e.g. 13812345678."),
    code="invalid_mobile",
)

# Landlines with area code, optional extension; mobiles are accepted too.
phone_validator = RegexValidator(
    r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9})$",
    _("Enter a phone number such as 0576-87654321 or a mobile number."),
    code="invalid_phone",
)
