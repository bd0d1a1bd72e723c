"""A department's facts belong to the evaluation: copied when it starts, edited by its team, read by its report only."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from docx import Document as DocxDocument

from evaluations import fiscal, services
from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Department, DepartmentFacts, Evaluation
from evaluations.queries import figures_for
from tests.factories import BureauFactory, DepartmentFactory, EvaluationFactory, UserFactory, member

pytestmark = pytest.mark.django_db

FACTS_FORM = {
    "name": "测试县第一局（2023年机构改革后）",
    "short_name": "第一局",
    "functions": "负责政务服务\n负责数据管理",
    "internal_units": "办公室\n数据股",
    "admin_authorized": "30",
    "admin_actual": "28",
    "institution_authorized": "12",
    "institution_actual": "11",
    "contact_person": "张三",
    "contact_phone": "0373-1234567",
}


def docx_text(client, evaluation) -> str:
    response = client.get(reverse("report_download", args=[evaluation.pk, "docx"]))
    assert response.status_code == 200
    document = DocxDocument(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


@pytest.fixture
def two_teams():
    """One department of the firm's list, evaluated for 2022 and 2023 by two different teams."""
    department = DepartmentFactory(name="测试县第一局", short_name="一局", admin_authorized=8, admin_actual=7,
                                   institution_authorized=13, institution_actual=13)
    bureau = BureauFactory()
    first = EvaluationFactory(firm=department.firm, department=department, bureau=bureau, year=2022)
    second = EvaluationFactory(firm=department.firm, department=department, bureau=bureau, year=2023)
    people = {
        "first_staff": member(first, TeamRole.STAFF), "first_lead": member(first, TeamRole.LEAD),
        "second_staff": member(second, TeamRole.STAFF), "second_lead": member(second, TeamRole.LEAD),
        "outsider": UserFactory(organization=department.firm),
    }
    return department, first, second, people


def test_an_evaluation_starts_with_a_copy_of_the_department_in_the_firms_list():
    department = DepartmentFactory(functions=["职能一"], internal_units=["办公室"], contact_person="李四")
    evaluation = services.create_evaluation(firm=department.firm, department=department, creator=None,
                                            year=2022, new_bureau="测试县财政局")
    facts = DepartmentFacts.objects.get(evaluation=evaluation)
    copied = department.profile_values()
    assert facts.profile_values() == copied
    department.name = "改名后的部门"
    department.admin_actual = 99
    department.save()
    facts.refresh_from_db()
    assert facts.profile_values() == copied
    assert Evaluation.objects.get(pk=evaluation.pk).title == f"2022年度{copied['name']}部门整体支出绩效评价"


def test_editing_one_evaluations_facts_never_changes_the_others_report(client, two_teams):
    department, first, second, people = two_teams
    client.force_login(people["first_lead"])
    before_first = docx_text(client, first)
    client.force_login(people["second_lead"])
    before_second = docx_text(client, second)
    assert "2022年度测试县第一局" in before_first and "2023年度测试县第一局" in before_second
    assert "核定行政编制8名，事业编制13名。年末实有人数20人" in before_second

    client.force_login(people["first_staff"])
    response = client.post(reverse("evaluation_department", args=[first.pk]), FACTS_FORM)
    assert response.status_code == 302

    client.force_login(people["first_lead"])
    after_first = docx_text(client, first)
    assert "2022年度测试县第一局（2023年机构改革后）" in after_first
    assert "第一局核定行政编制30名，事业编制12名。年末实有人数39人" in after_first
    # (the contact person is printed only by outlines with a 基本信息表; the reference outline has none)
    client.force_login(people["second_lead"])
    assert docx_text(client, second) == before_second
    assert "机构改革后" not in before_second
    # the ratio fed by staffing follows each evaluation's own copy
    first.refresh_from_db()
    second.refresh_from_db()
    rates = [fiscal.ratio_by_key(figures_for(e))["staff_control_rate"].display for e in (first, second)]
    assert rates == ["92.86%", "95.24%"]
    # the firm's list is untouched: it is the next evaluation's starting point
    department.refresh_from_db()
    assert (department.name, department.admin_authorized) == ("测试县第一局", 8)


def test_a_firm_member_outside_the_teams_cannot_change_either_report(client, two_teams):
    department, first, second, people = two_teams
    client.force_login(people["outsider"])
    for evaluation in (first, second):
        assert client.post(reverse("evaluation_department", args=[evaluation.pk]), FACTS_FORM).status_code == 404
        assert client.get(reverse("evaluation_department", args=[evaluation.pk])).status_code == 404
    # he may keep the firm's list, which no existing report reads
    response = client.post(reverse("department_edit", args=[department.pk]), {**FACTS_FORM, "name": "外人改的名字"})
    assert response.status_code == 302
    assert Department.objects.get(pk=department.pk).name == "外人改的名字"
    for evaluation in (first, second):
        facts = DepartmentFacts.objects.get(evaluation=evaluation)
        assert (facts.name, facts.admin_authorized) == ("测试县第一局", 8)
        assert Evaluation.objects.get(pk=evaluation.pk).title == f"{evaluation.year}年度测试县第一局部门整体支出绩效评价"
    # nor can the other team: the first team's staff is outside the second evaluation's team
    client.force_login(people["first_staff"])
    assert client.post(reverse("evaluation_department", args=[second.pk]), FACTS_FORM).status_code == 404


def test_a_reviewer_sees_the_facts_but_only_the_authors_change_them(client, two_teams):
    _department, first, _second, _people = two_teams
    reviewer = member(first, TeamRole.REVIEWER)
    client.force_login(reviewer)
    page = client.get(reverse("evaluation_department", args=[first.pk])).content.decode()
    assert 'data-testid="department-facts"' in page and 'data-testid="department-facts-form"' not in page
    response = client.post(reverse("evaluation_department", args=[first.pk]), FACTS_FORM)
    assert response.status_code == 403
    assert DepartmentFacts.objects.get(evaluation=first).name == "测试县第一局"


def test_signed_facts_are_frozen():
    evaluation = EvaluationFactory(status=EvaluationStatus.SIGNED)
    with pytest.raises(ValidationError, match="报告已签发"):
        services.save_department_facts(evaluation, {"name": "签发后改名"})
    assert DepartmentFacts.objects.get(evaluation=evaluation).name == evaluation.department.name


def test_bad_facts_are_refused_with_the_field_named(client, two_teams):
    _department, first, _second, people = two_teams
    client.force_login(people["first_staff"])
    bad = {**FACTS_FORM, "name": "名" * 101, "admin_actual": "-1", "functions": "职" * 501}
    page = client.post(reverse("evaluation_department", args=[first.pk]), bad).content.decode()
    assert "确保该变量包含不超过 100 字符 (目前字符数 101)。" in page
    assert "确保该值大于或等于0" in page
    assert "第1项内容过长（501字），最多500字" in page
    assert DepartmentFacts.objects.get(evaluation=first).name == "测试县第一局"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_evaluations_their_departments_facts():
    executor = MigrationExecutor(connection)
    before = [("evaluations", "0006_evaluation_content_version"), ("accounts", "0003_firm_review_levels")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        firm = old.get_model("accounts", "Organization").objects.create(name="迁移测试机构", kind="firm")
        bureau = old.get_model("accounts", "Organization").objects.create(name="迁移测试财政局", kind="bureau")
        department = old.get_model("evaluations", "Department").objects.create(
            firm=firm, name="迁移前的部门", admin_authorized=5, admin_actual=4, functions=["职能"], contact_person="王五"
        )
        evaluation = old.get_model("evaluations", "Evaluation").objects.create(
            firm=firm, department=department, bureau=bureau, year=2021
        )
        signed = old.get_model("evaluations", "Evaluation").objects.create(
            firm=firm, department=department, bureau=bureau, year=2020, status=EvaluationStatus.SIGNED,
            facts={"department": {"name": "签发时的部门名称", "admin_authorized": 3}, "bureau": "迁移测试财政局"},
        )
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        facts = DepartmentFacts.objects.get(evaluation_id=evaluation.pk)
        assert (facts.name, facts.admin_authorized, facts.admin_actual, facts.functions, facts.contact_person) == (
            "迁移前的部门", 5, 4, ["职能"], "王五"
        )
        frozen = DepartmentFacts.objects.get(evaluation_id=signed.pk)  # what it was signed with, not today's record
        assert (frozen.name, frozen.admin_authorized, frozen.admin_actual) == ("签发时的部门名称", 3, 4)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
