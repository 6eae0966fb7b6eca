"""The deputies app's models, one module per topic; import them from here."""

from deputies.models.directory import (  # noqa: F401
    IssuedCode,
    HasPublicCode,
    Area,
    Village,
    Site,
    Deputy,
    LiaisonHousehold,
)
from deputies.models.households import HouseholdContact  # noqa: F401
