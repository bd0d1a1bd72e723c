"""Every write moves the evaluation's content version, and what is cached under a version is read again.

The structural test reads the four services modules: every public function that
writes (itself or through a helper of its module) passes the write guard
``refuse_if_locked``, which moves the version, inside a transaction. The
behaviour tests call one service of each kind and watch the version and the
cached result move.
"""

import ast
import inspect
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations import services as evaluation_services
from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from reports import services as report_services
from rubrics import result_cache
from rubrics import services as rubric_services
from rubrics.models import Indicator
from rubrics.queries import evaluation_result, scoring_context
from surveys import services as survey_services
from surveys.services import load_demo_surveys
from tests.factories import YANJIN_BUDGET, EvaluationFactory, UserFactory, small_rubric, team

SERVICE_MODULES = (evaluation_services, survey_services, rubric_services, report_services)
WRITE_METHODS = {"save", "create", "delete", "update", "update_or_create", "get_or_create", "bulk_create"}
GUARDS = {"refuse_if_locked", "_move_versions"}
#: Public writers that change no existing evaluation's content, and why.
NOT_CONTENT = {
    "create_evaluation": "a new evaluation starts at version 0; nothing is cached for it yet",
    "discard_process_draft": "a user's unsaved draft of a 评分过程, not the evaluation's content",
    "save_process_draft": "a user's unsaved draft of a 评分过程, not the evaluation's content",
    "bureau_named": "an organisation, not an evaluation",
    "client_bureau_named": "an organisation, not an evaluation",
    "save_department": "the firm's list of departments; each evaluation prints its own copy",
    "install_builtin_systems": "the firm's template library",
    "save_system": "the firm's template library",
    "add_node": "the firm's template library",
    "update_node": "the firm's template library",
    "delete_node": "the firm's template library",
    "move_node": "the firm's template library",
}


def _functions(module) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(inspect.getsource(module))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _calls(function: ast.FunctionDef) -> tuple[set[str], set[str]]:
    """Names called directly, and method names called on something (``x.save()`` → ``save``)."""
    names, methods = set(), set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                names.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                methods.add(node.func.attr)
                names.add(node.func.attr)  # module.function() of another services module
    return names, methods


def _closure(name: str, functions: dict, seen: set | None = None) -> set[str]:
    seen = seen if seen is not None else set()
    if name in seen or name not in functions:
        return seen
    seen.add(name)
    for called in _calls(functions[name])[0]:
        _closure(called, functions, seen)
    return seen


def _atomic(function: ast.FunctionDef) -> bool:
    return any(ast.unparse(decorator) in ("transaction.atomic", "atomic") for decorator in function.decorator_list)


@pytest.mark.parametrize("module", SERVICE_MODULES, ids=lambda m: m.__name__)
def test_every_public_writer_passes_the_guard_inside_a_transaction(module):
    functions = {}
    for other in SERVICE_MODULES:
        functions.update(_functions(other))
    own = _functions(module)
    unguarded, outside_transaction = [], []
    for name, function in own.items():
        reached = _closure(name, functions)
        writes = any(_calls(functions[f])[1] & WRITE_METHODS for f in reached)
        guarded = any(_calls(functions[f])[0] & GUARDS for f in reached)
        if name.startswith("_") or name in GUARDS or not writes or name in NOT_CONTENT:
            continue
        if not guarded:
            unguarded.append(name)
        if _calls(function)[0] & GUARDS and not _atomic(function):
            outside_transaction.append(name)
    assert unguarded == [], "these services write without moving the content version"
    assert outside_transaction == [], "the version must move in the same transaction as the change"


def test_the_guard_refuses_outside_a_transaction(transactional_db):
    evaluation = EvaluationFactory()
    with pytest.raises(RuntimeError):
        evaluation_services.refuse_if_locked(evaluation)


@pytest.fixture
def evaluation(db):
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))
    load_demo_surveys(evaluation)
    return Evaluation.objects.select_related("department").get(pk=evaluation.pk)


def _indicator(evaluation, code):
    indicator = Indicator.objects.get(evaluation=evaluation, code=code)
    indicator.evaluation = evaluation
    return indicator


WRITES = {
    "budget": lambda e: evaluation_services.save_budget(e, {"project_final": Decimal("100.00")}),
    "engagement": lambda e: evaluation_services.update_evaluation(
        e, department=e.department, year=e.year, bureau=e.bureau, methods=["比较法"]
    ),
    "team": lambda e: evaluation_services.add_member(e, UserFactory(organization=e.firm), TeamRole.STAFF),
    "department": lambda e: evaluation_services.save_department_facts(e, {"name": "改名后的局"}),
    "judgment": lambda e: rubric_services.save_judgment(_indicator(e, "A11"), inputs={"yes": False}, user=None),
    "imported judgments": lambda e: rubric_services.import_judgments(e, {"A11": {"inputs": {"yes": False}}}),
    "survey counts": lambda e: survey_services.save_counts(
        q := e.questionnaires.first(), {}, issued=q.issued, returned=q.returned, valid=q.valid
    ),
    "survey settings": lambda e: survey_services.save_settings(
        q := e.questionnaires.first(), group=q.group, title="新标题", mode=q.mode, method=q.method,
        aggregation=q.aggregation,
    ),
    "report text": lambda e: report_services.save_section(e, "overall", "新的文字。"),
    "problem": lambda e: report_services.save_problem(e, title="问题", text="说明"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_each_kind_of_write_moves_the_version(evaluation, write):
    before = Evaluation.objects.get(pk=evaluation.pk).content_version
    write(evaluation)
    assert Evaluation.objects.get(pk=evaluation.pk).content_version == before + 1


def test_a_refused_write_leaves_the_version(evaluation):
    before = evaluation.content_version
    with pytest.raises(ValidationError):
        rubric_services.import_judgments(evaluation, {"Z99": {"inputs": {}}})  # no such indicator: rolled back
    assert Evaluation.objects.get(pk=evaluation.pk).content_version == before


def test_a_signed_evaluation_refuses_and_keeps_its_version(evaluation):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)
    evaluation.refresh_from_db()
    with pytest.raises(ValidationError):
        report_services.save_section(evaluation, "overall", "x")
    assert Evaluation.objects.get(pk=evaluation.pk).content_version == evaluation.content_version


def test_saving_an_old_instance_never_puts_an_older_version_back(evaluation):
    stale = Evaluation.objects.get(pk=evaluation.pk)
    report_services.save_section(evaluation, "overall", "新的文字。")
    stale.bureau_section = "绩效科"
    stale.save()
    assert Evaluation.objects.get(pk=evaluation.pk).content_version == evaluation.content_version


def test_the_result_is_scored_once_per_version(evaluation, django_assert_num_queries):
    assert result_cache.totals(evaluation).total == Decimal("100.00")
    with django_assert_num_queries(0):  # a hit: nothing is read from the database
        assert result_cache.totals(evaluation).total == Decimal("100.00")
        assert result_cache.walk(evaluation).codes == ("A11", "B11")
        assert result_cache.overview(evaluation).result.grade == "优"
    rubric_services.save_judgment(_indicator(evaluation, "A11"), inputs={"yes": False}, user=None)
    totals = result_cache.totals(evaluation)  # a miss: the new version is scored
    assert (totals.total, totals.grade) == (Decimal("60.00"), "中")


def test_a_saved_judgment_carries_the_walk_to_the_next_version(evaluation, django_capture_on_commit_callbacks):
    Indicator.objects.filter(evaluation=evaluation, code="A11").first().judgment.delete()
    evaluation.content_version += 1  # as the guard would; the walk of this version has A11 unscored
    Evaluation.objects.filter(pk=evaluation.pk).update(content_version=evaluation.content_version)
    assert result_cache.walk(evaluation).unscored == {"A11"}
    with django_capture_on_commit_callbacks(execute=True):
        rubric_services.save_judgment(_indicator(evaluation, "A11"), inputs={"yes": True}, user=None)
    carried = result_cache._read(result_cache.keys(evaluation, "walk"))
    assert isinstance(carried, result_cache.Walk)  # stored without scoring the tree
    assert (carried.unscored, carried.scored_count, carried.progress_percent) == (frozenset(), 2, 100)
    assert result_cache.walk(evaluation) == carried


def _save(evaluation, code, django_capture_on_commit_callbacks, **judgment):
    with django_capture_on_commit_callbacks(execute=True):
        rubric_services.save_judgment(_indicator(evaluation, code), user=None, **judgment)
    evaluation.refresh_from_db()


def _read_shapes(evaluation):
    return {what: getattr(result_cache, what)(evaluation) for what in ("totals", "walk", "overview")}


def test_saved_judgments_are_scored_into_the_cached_result(
    evaluation, django_capture_on_commit_callbacks, django_assert_num_queries
):
    assert result_cache.overview(evaluation).result.total == Decimal("100.00")  # the version as a page read it
    _save(evaluation, "A11", django_capture_on_commit_callbacks, inputs={"yes": False},
          process="依据评分细则，本项指标得40分。")
    _save(evaluation, "A11", django_capture_on_commit_callbacks, inputs={"yes": False},
          process="依据评分细则，本项指标得0分。", base_revision=Indicator.objects.get(
              evaluation=evaluation, code="A11").judgment.revision)
    assert result_cache._read(result_cache.keys(evaluation, "overview")) is result_cache.MISSING  # not written by a save
    with django_assert_num_queries(0):  # the two saves replayed into the cached result: nothing read from the tree
        shapes = _read_shapes(evaluation)
    assert (shapes["totals"].total, shapes["totals"].grade) == (Decimal("60.00"), "中")
    assert shapes["overview"].mismatches == {}  # the second text states the 0
    assert shapes == result_cache._shapes(evaluation_result(evaluation))  # what scoring the tree gives


def test_a_save_scores_with_the_data_stored_now_not_as_its_page_read_it(
    evaluation, django_capture_on_commit_callbacks, django_assert_num_queries
):
    page = _indicator(evaluation, "B11")  # the judgment page reads the leaf and the budget behind its bound ratio
    scoring_context(page.evaluation, [page])
    before = result_cache.totals(page.evaluation).total
    other = Evaluation.objects.get(pk=evaluation.pk)  # meanwhile someone corrects the budget, and a page reads it
    evaluation_services.save_budget(other, {"project_final": Decimal("100.00")})
    assert result_cache.totals(other).total != before
    with django_capture_on_commit_callbacks(execute=True):
        rubric_services.save_judgment(page, inputs={}, process="复核。", user=None,
                                      base_revision=page.judgment.revision)
    evaluation.refresh_from_db()
    with django_assert_num_queries(0):  # replayed
        shapes = _read_shapes(evaluation)
    assert shapes == result_cache._shapes(evaluation_result(evaluation))  # the saved leaf with today's budget
    assert shapes["overview"].review_flags == ()  # saved with the rate in force: nothing left to review


def test_another_write_between_saves_has_the_tree_scored_again(
    evaluation, django_capture_on_commit_callbacks, django_assert_num_queries
):
    result_cache.overview(evaluation)
    _save(evaluation, "A11", django_capture_on_commit_callbacks, inputs={"yes": False})
    report_services.save_section(evaluation, "overall", "新的文字。")  # moves the version, records no save
    evaluation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        rubric_services.save_judgment(_indicator(evaluation, "A11"), inputs={"yes": True}, user=None,
                                      process="改判。", base_revision=Indicator.objects.get(
                                          evaluation=evaluation, code="A11").judgment.revision)
    evaluation.refresh_from_db()
    assert result_cache._replayed(evaluation) is None
    assert result_cache.totals(evaluation).total == Decimal("100.00")  # scored


def test_pages_show_the_new_score_after_a_save(client, evaluation):
    client.force_login(team(evaluation)[TeamRole.STAFF])
    assert client.get(reverse("rubric_overview", args=[evaluation.pk])).context["result"].total == Decimal("100.00")
    response = client.post(
        reverse("judgment_edit", args=[evaluation.pk, "A11"]),
        {"applicable": "on", "yes": "0", "process": "不符合。", "revision": Indicator.objects.get(
            evaluation=evaluation, code="A11").judgment.revision},
    )
    assert response.status_code == 302
    page = client.get(reverse("rubric_overview", args=[evaluation.pk]))
    assert (page.context["result"].total, page.context["result"].grade) == (Decimal("60.00"), "中")
    judgment_page = client.get(reverse("judgment_edit", args=[evaluation.pk, "A11"]))
    assert judgment_page.context["node"].score == Decimal("0.00")
    assert (judgment_page.context["progress_done"], judgment_page.context["next_code"]) == (2, "B11")
    dashboard = client.get(reverse("dashboard"))
    assert [row["total"] for row in dashboard.context["rows"]] == ["60.00"]
