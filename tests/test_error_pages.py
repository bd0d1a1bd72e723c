"""Error pages in Chinese, in the site's layout, saying why and offering a way back (DEBUG off, as in production)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import bad_request, server_error

from evaluations.enums import EvaluationStatus, TeamRole
from tests.factories import EvaluationFactory, team

LAYOUT = 'class="navbar-brand"'
HOME = 'href="/">返回首页</a>'


@pytest.fixture(autouse=True)
def production_debug(settings):
    settings.DEBUG = False


@pytest.mark.django_db
def test_403_says_who_may_in_the_layout_with_a_way_back(client):
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING)
    reviewer = team(evaluation)[TeamRole.REVIEWER]
    client.force_login(reviewer)
    came_from = f"http://testserver{reverse('report_overview', args=[evaluation.pk])}"
    response = client.get(reverse("report_section_edit", args=[evaluation.pk, "overall"]), HTTP_REFERER=came_from)
    page = response.content.decode()
    assert response.status_code == 403
    assert "没有权限" in page
    assert "只有主评人可以编写报告文字、绩效目标、问题与建议。" in page
    assert "403 Forbidden" not in page
    assert LAYOUT in page and reviewer.display_name in page
    assert HOME in page
    assert f'href="{came_from}">← 返回上一页</a>' in page


@pytest.mark.django_db
def test_403_after_sign_off_says_so(client):
    evaluation = EvaluationFactory(status=EvaluationStatus.SIGNED)
    client.force_login(team(evaluation)[TeamRole.LEAD])
    page = client.get(reverse("budget_edit", args=[evaluation.pk])).content.decode()
    assert "报告已签发，不能再修改。" in page


@pytest.mark.django_db
def test_403_offers_no_way_back_to_another_site(client):
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING)
    client.force_login(team(evaluation)[TeamRole.STAFF])
    response = client.get(reverse("evaluation_edit", args=[evaluation.pk]), HTTP_REFERER="https://evil.example/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "evil.example" not in page and "返回上一页" not in page
    assert HOME in page


@pytest.mark.django_db
def test_404_of_a_hidden_evaluation_is_in_chinese(client):
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING)
    client.force_login(team(evaluation)["outsider"])
    response = client.get(reverse("evaluation_detail", args=[evaluation.pk]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "评价项目不存在" in page
    assert LAYOUT in page and HOME in page


@pytest.mark.django_db
def test_404_of_an_unknown_address_shows_no_developer_text(client):
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING)
    client.force_login(team(evaluation)[TeamRole.LEAD])
    for url in ["/no-such-page/", reverse("report_problem_edit", args=[evaluation.pk, 999])]:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 404
        assert "您要打开的页面不存在，或者您没有查看它的权限。" in page
        assert "Resolver404" not in page and "matches the given query" not in page and "Not Found" not in page


@pytest.mark.django_db
@pytest.mark.urls("tests.error_urls")
def test_500_page_when_a_view_fails(client):
    client.raise_request_exception = False
    evaluation = EvaluationFactory()
    client.force_login(team(evaluation)[TeamRole.LEAD])
    response = client.get("/fail/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in page and "错误已记录在服务器日志中" in page
    assert "deliberate failure" not in page
    assert LAYOUT in page and HOME in page


def test_500_page_renders_without_a_request_context_or_the_database():
    """Django renders 500.html with no context at all; no database access is allowed in this test."""
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in page and LAYOUT in page and HOME in page


def test_400_page_is_in_chinese():
    response = bad_request(RequestFactory().get("/"), exception=None)
    page = response.content.decode()
    assert response.status_code == 400
    assert "请求无效" in page and LAYOUT in page and HOME in page


@pytest.mark.django_db
def test_expired_form_says_so():
    client = Client(enforce_csrf_checks=True)
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING)
    client.force_login(team(evaluation)[TeamRole.LEAD])
    response = client.post(reverse("evaluation_edit", args=[evaluation.pk]), {})
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in page and "CSRF" in page and HOME in page
