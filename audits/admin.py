from django.contrib import admin

from audits.models import Review, ReviewFile, ReviewSettings, ReviewVersion


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(admin.ModelAdmin):
    list_display = ["bureau"]


class ReviewFileInline(admin.TabularInline):
    model = ReviewFile
    extra = 0
    fields = ["kind", "name", "sha256", "size"]
    readonly_fields = fields
    can_delete = False


@admin.register(ReviewVersion)
class ReviewVersionAdmin(admin.ModelAdmin):
    list_display = ["review", "number", "errors", "warnings", "quality_score", "created_at"]
    readonly_fields = ["review", "number", "created_by", "findings", "notes", "reading_notes", "checklist",
                       "quality_score", "errors", "warnings", "comparison"]
    inlines = [ReviewFileInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["department_name", "year", "firm_name", "bureau", "status", "created_at"]
    list_filter = ["status", "bureau"]
