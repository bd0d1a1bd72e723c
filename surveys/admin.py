from django.contrib import admin

from evaluations.admin import SignedReadOnly, SignedReadOnlyInline
from surveys.models import Option, Question, Questionnaire


class QuestionInline(SignedReadOnlyInline, admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "title", "counted"]
    show_change_link = True


class OptionInline(SignedReadOnlyInline, admin.TabularInline):
    model = Option
    extra = 0
    fields = ["position", "label", "weight", "excluded", "count"]
    evaluation_path = "questionnaire__evaluation"  # from the question the options are under


@admin.register(Questionnaire)
class QuestionnaireAdmin(SignedReadOnly, admin.ModelAdmin):
    list_display = ["group", "title", "evaluation", "method", "aggregation", "issued", "valid"]
    list_select_related = ["evaluation__department"]
    search_fields = ["group", "title", "evaluation__department__name"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(SignedReadOnly, admin.ModelAdmin):
    list_display = ["title", "questionnaire", "position", "counted"]
    list_select_related = ["questionnaire"]
    inlines = [OptionInline]
    evaluation_path = "questionnaire__evaluation"
