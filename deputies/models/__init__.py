"""The deputies app's models, one module per topic; import them from here."""

from deputies.models.activities import (  # noqa: F401, E402
    Activity,
    ActivityPhoto,
    EnterpriseOpinion,
    ReportToVoters,
)
from deputies.models.directory import (  # noqa: F401
    Area,
    Deputy,
    HasPublicCode,
    IssuedCode,
    LiaisonHousehold,
    Site,
    Village,
)
from deputies.models.duty import (  # noqa: F401
    DutyDay,
    DutyFeed,
    DutyRule,
    Shift,
    SwapRequest,
)
from deputies.models.households import HouseholdContact  # noqa: F401
