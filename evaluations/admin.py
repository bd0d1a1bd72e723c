from django.contrib import admin

from evaluations.models import BudgetFigures, Department, EconomicLine, Evaluation, Membership, Project


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "firm", "contact_person"]
    search_fields = ["name"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "bureau", "status"]
    list_filter = ["status", "year"]
    inlines = [MembershipInline]


admin.site.register(BudgetFigures)
admin.site.register(EconomicLine)
admin.site.register(Project)
