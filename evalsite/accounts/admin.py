from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from evalsite.accounts.models import Organization, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "review_levels"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["clients"]


@admin.register(User)
class EvalUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "organization", "is_firm_admin", "is_active"]
    list_filter = ["organization", "is_firm_admin", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("机构", {"fields": ("full_name", "organization", "is_firm_admin")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("机构", {"fields": ("full_name", "organization", "is_firm_admin")}),)
