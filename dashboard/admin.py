from django.contrib import admin

from dashboard.models import StudyCategory
from liaison.admin import TownshipAdmin


@admin.register(StudyCategory)
class StudyCategoryAdmin(TownshipAdmin):
    """The headings of study materials (docs/study.md); the materials themselves are written at /staff/study/."""

    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
