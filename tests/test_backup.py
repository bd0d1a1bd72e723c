"""export_evaluation / import_evaluation: one self-contained archive, restored into another database with the same results.

The round trip is checked by what people rely on: ``score_summary`` prints the
same table and total, every stored file (evidence, signed report files when the
sign-off models exist) comes back byte for byte, and the texts and records are
all there. A tampered archive is refused and nothing is written. The
SQLite → PostgreSQL test restores into a throwaway PostgreSQL cluster
(``scripts/with-postgres.sh``) in a subprocess; run on PostgreSQL, it restores
into a fresh SQLite file instead, so both directions are covered by the two runs.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from evaluations.backup import MANIFEST, archive_plan, files_of
from evaluations.models import DepartmentFacts, Evaluation
from reports.models import Section
from rubrics.models import Evidence, HistoricalJudgment, Judgment
from surveys.models import Option
from tests.bad_input.storage import snapshot

ROOT = Path(__file__).resolve().parent.parent
YANJIN = "延津县政务服务和大数据管理局"
EVIDENCE = bytes(range(256)) * 40 + "佐证：会议纪要".encode()


def command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def yanjin(db, settings, tmp_path):
    """The 延津 demo evaluation with a piece of evidence and an edited section."""
    settings.MEDIA_ROOT = tmp_path / "media"
    command("load_demo")
    evaluation = Evaluation.objects.get(department__name=YANJIN, year=2022)
    judgment = Judgment.objects.filter(indicator__evaluation=evaluation).order_by("indicator__position").first()
    evidence = Evidence(indicator=judgment.indicator, number=1, title="会议纪要")
    evidence.file.save("会议纪要.bin", ContentFile(EVIDENCE))
    DepartmentFacts.objects.filter(evaluation=evaluation).update(contact_person="项目组改过的联系人")
    return evaluation


def lose(evaluation) -> None:
    """The evaluation gone as after a lost disk: its workflow events (written once, never deleted by the app) too."""
    from reports.models import TransitionEvent

    TransitionEvent.objects.filter(evaluation=evaluation)._raw_delete(connection.alias)
    evaluation.delete()


def record_counts(evaluation) -> dict[str, int]:
    return {part.label: part.model.objects.filter(**{part.path: evaluation.pk}).count() for part in archive_plan()}


def test_the_plan_takes_every_model_that_belongs_to_an_evaluation():
    labels = [part.label for part in archive_plan()]
    for label in ("evaluations.DepartmentFacts", "evaluations.BudgetFigures", "rubrics.Indicator", "rubrics.Judgment",
                  "rubrics.HistoricalJudgment", "rubrics.Evidence", "surveys.Option", "reports.Section",
                  "reports.Problem_indicators", "reports.Suggestion", "reports.GoalRow",
                  "reports.HistoricalGoalRow"):
        assert label in labels
    assert labels.index("rubrics.Judgment") < labels.index("rubrics.HistoricalJudgment")
    assert labels.index("rubrics.Indicator") < labels.index("rubrics.Evidence")
    for label in ("reports.SignedVersion", "reports.ReportFile", "reports.BureauResponse", "evaluations.BureauChange"):
        assert label in labels  # the sign-off's versions and frozen files, the bureau's replies, the 委托单位 log


def test_export_then_import_gives_the_same_scores_texts_and_files(yanjin, tmp_path):
    summary = command("score_summary", str(yanjin.pk), "--json")
    table = command("score_summary", str(yanjin.pk))
    counts = record_counts(yanjin)
    files = dict(files_of(yanjin))
    texts = dict(Section.objects.filter(evaluation=yanjin).values_list("key", "text"))
    archive = tmp_path / "yanjin.zip"
    out = command("export_evaluation", str(yanjin.pk), "--output", str(archive))
    assert out.splitlines()[-1] == str(archive)
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read(MANIFEST))
        for name, digest in manifest["sha256"].items():
            assert hashlib.sha256(opened.read(name)).hexdigest() == digest
        assert [name for name in opened.namelist() if name.startswith("files/")] == ["files/1/" + Path(yanjin_file(yanjin)).name]

    lose(yanjin)  # the original is lost; the archive is all that is left
    out = command("import_evaluation", str(archive))
    restored = Evaluation.objects.get(pk=int(out.splitlines()[-1]))

    assert command("score_summary", str(restored.pk), "--json") == summary
    assert command("score_summary", str(restored.pk)) == table
    assert record_counts(restored) == counts
    assert [digest for _name, digest in files_of(restored)] == list(files.values())
    assert [digest for _name, digest in files_of(restored)] == [hashlib.sha256(EVIDENCE).hexdigest()]
    assert dict(Section.objects.filter(evaluation=restored).values_list("key", "text")) == texts
    assert restored.department_facts.contact_person == "项目组改过的联系人"
    assert HistoricalJudgment.objects.filter(indicator__evaluation=restored).count() == counts["rubrics.HistoricalJudgment"]
    assert Option.objects.filter(question__questionnaire__evaluation=restored, count__gt=0).exists()


def yanjin_file(evaluation) -> str:
    return Evidence.objects.get(indicator__evaluation=evaluation).file.name


def test_an_archive_is_not_restored_over_an_existing_evaluation(yanjin, tmp_path):
    archive = tmp_path / "yanjin.zip"
    command("export_evaluation", str(yanjin.pk), "--output", str(archive))
    before = snapshot()
    stored = set(Path(tmp_path / "media").rglob("*"))
    with pytest.raises(CommandError, match=f"本系统已有2022年度{YANJIN}部门整体支出绩效评价（评价项目 #{yanjin.pk}），未恢复"):
        command("import_evaluation", str(archive))
    assert snapshot() == before
    assert set(Path(tmp_path / "media").rglob("*")) == stored


@pytest.mark.parametrize("tamper", ["data", "file", "extra", "missing"])
def test_a_tampered_archive_is_refused_and_nothing_is_written(yanjin, tmp_path, tamper):
    archive = tmp_path / "yanjin.zip"
    command("export_evaluation", str(yanjin.pk), "--output", str(archive))
    lose(yanjin)
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(changed, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if tamper == "data" and info.filename == "data.json":
                content = content.replace("项目组改过的联系人".encode(), "别人改过的联系人".encode())
            if tamper == "file" and info.filename.startswith("files/"):
                content = content[:-1] + b"!"
            if tamper == "missing" and info.filename.startswith("files/"):
                continue
            target.writestr(info, content)
        if tamper == "extra":
            target.writestr("files/99/多出来的.txt", b"x")
    before = snapshot()
    expected = {
        "data": "data.json 的 SHA-256 与清单不符",
        "file": "files/1/",
        "extra": "有清单之外的文件：files/99/多出来的.txt",
        "missing": "缺少清单中的文件：files/1/",
    }[tamper]
    with pytest.raises(CommandError, match="存档已被改动或已损坏，未恢复任何数据") as refused:
        command("import_evaluation", str(changed))
    assert expected in str(refused.value)
    assert snapshot() == before


def test_what_is_not_an_archive_is_refused(db, tmp_path):
    for content in (b"", b"not a zip", zipfile_bytes({"manifest.json": b"{}"}), zipfile_bytes({"x": b"y"})):
        path = tmp_path / "bad.zip"
        path.write_bytes(content)
        with pytest.raises(CommandError, match="不是评价项目存档"):
            command("import_evaluation", str(path))
    with pytest.raises(CommandError, match="文件不存在"):
        command("import_evaluation", str(tmp_path / "nowhere.zip"))
    with pytest.raises(CommandError, match="评价项目 999999 不存在"):
        command("export_evaluation", "999999", "--output", str(tmp_path / "x.zip"))


def test_the_report_profile_an_evaluation_chose_comes_back_with_it(yanjin, tmp_path):
    from reports.models import ReportProfile
    from reports.profile_services import choose_profile

    chosen = ReportProfile.objects.get(firm=yanjin.firm, slug="xinjiang-seed-000")
    choose_profile(yanjin, chosen)
    archive = tmp_path / "yanjin.zip"
    command("export_evaluation", str(yanjin.pk), "--output", str(archive))
    lose(yanjin)
    restored = Evaluation.objects.get(pk=int(command("import_evaluation", str(archive)).splitlines()[-1]))
    assert restored.report_profile.profile == chosen  # the firm's own, found by its name


# ---------------------------------------------------------------------------
# An archive written before the goals and the 评价过程 had their own names (format version 1)

V1_MODELS = {"reports.GoalRow": "reports.TargetRow", "reports.HistoricalGoalRow": "reports.HistoricalTargetRow"}
V1_KEYS = {"goals": "targets", "procedure": "process"}


def in_version_1(archive: bytes) -> bytes:
    """``archive`` as version 1 wrote it: the model TargetRow, the keys "targets" and "process", sums recomputed."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        manifest = json.loads(source.read(MANIFEST))
        data = json.loads(source.read("data.json"))
        members = {name: source.read(name) for name in source.namelist() if name not in (MANIFEST, "data.json")}
    for part in data["parts"]:
        part["model"] = V1_MODELS.get(part["model"], part["model"])
        for record in part["records"]:
            if part["model"] in ("reports.Section", "reports.HistoricalSection"):
                record["key"] = V1_KEYS.get(record["key"], record["key"])
            if part["model"] == "reports.ReviewComment" and record["target_kind"] == "section":
                record["target_key"] = V1_KEYS.get(record["target_key"], record["target_key"])
    for identity in data["shared"]["reports.ReportProfile"].values():
        definition = identity["definition"]
        definition["tables"] = [V1_KEYS.get(key, key) for key in definition["tables"]]
        for chapter in definition["chapters"]:
            if "parts" in chapter:
                chapter["parts"] = {V1_KEYS.get(key, key): text for key, text in chapter["parts"].items()}
    members["data.json"] = json.dumps(data, ensure_ascii=False).encode()
    manifest["version"] = 1
    manifest["sha256"]["data.json"] = hashlib.sha256(members["data.json"]).hexdigest()
    return zipfile_bytes({**members, MANIFEST: json.dumps(manifest).encode()})


def test_an_archive_of_the_previous_version_restores_its_goals_and_its_procedure(yanjin, tmp_path):
    from evaluations.backup import export_evaluation
    from reports.models import GoalRow, ReportProfile, ReviewComment
    from reports.profile_services import choose_profile, copy_profile

    builtin = ReportProfile.objects.get(firm=yanjin.firm, slug="caiyu-2020-10")
    profile = copy_profile(builtin, name="本所的部门整体格式")
    choose_profile(yanjin, profile)
    ReviewComment.objects.create(evaluation=yanjin, version=1, target_kind="section", target_key="procedure",
                                 target_label="评价过程", text="请补充访谈对象。",
                                 author=yanjin.memberships.first().user)
    goals = list(GoalRow.objects.filter(evaluation=yanjin).values_list("position", "level1", "level2", "level3", "value"))
    texts = dict(Section.objects.filter(evaluation=yanjin).values_list("key", "text"))
    assert len(goals) > 3 and texts["procedure"].startswith("本次评价主要包括前期准备、评价实施、报告撰写三个阶段")
    counts = record_counts(yanjin)
    old = tmp_path / "old.zip"
    old.write_bytes(in_version_1(export_evaluation(yanjin)[0]))
    with zipfile.ZipFile(old) as opened:
        written = opened.read("data.json").decode()
    assert '"reports.TargetRow"' in written and '"key": "process"' in written and '"goals"' not in written

    ReviewComment.objects.filter(evaluation=yanjin).delete()
    lose(yanjin)
    profile.delete()  # restored from the archive's copy of its definition, in the old words
    restored = Evaluation.objects.get(pk=int(command("import_evaluation", str(old)).splitlines()[-1]))

    assert record_counts(restored) == counts
    assert list(GoalRow.objects.filter(evaluation=restored).values_list("position", "level1", "level2", "level3", "value")) == goals
    assert dict(Section.objects.filter(evaluation=restored).values_list("key", "text")) == texts
    assert set(Section.history.filter(evaluation=restored).values_list("key", flat=True)) <= set(texts)
    assert Section.objects.get(evaluation=restored, key="procedure").get_key_display() == "评价过程"
    assert list(ReviewComment.objects.filter(evaluation=restored).values_list("target_kind", "target_key")) == [
        ("section", "procedure")
    ]
    chosen = restored.report_profile.profile
    assert chosen.name == "本所的部门整体格式" and chosen.definition == builtin.definition
    assert chosen.outline.chapters[0].part("goals") == "部门整体绩效目标"


def test_an_archive_of_an_unknown_version_is_refused(yanjin, tmp_path):
    from evaluations.backup import export_evaluation

    with zipfile.ZipFile(io.BytesIO(export_evaluation(yanjin)[0])) as source:
        members = {name: source.read(name) for name in source.namelist()}
    manifest = json.loads(members[MANIFEST])
    for version, shown in ((3, "3"), (0, "0"), ("1", "1"), ([1], "[1]"), (None, "None")):
        manifest["version"] = version
        path = tmp_path / "future.zip"
        path.write_bytes(zipfile_bytes({**members, MANIFEST: json.dumps(manifest).encode()}))
        with pytest.raises(CommandError, match=re.escape(f"存档格式版本为{shown}，本系统只能恢复版本1、2")):
            command("import_evaluation", str(path))


def zipfile_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Into the other database engine

RESTORE_AND_REPORT = """
import json
from evaluations.backup import files_of
from evaluations.models import Evaluation
evaluation = Evaluation.objects.get()
print(json.dumps({"files": sorted(digest for _name, digest in files_of(evaluation))}))
"""


def other_engine_environment(tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    """The command prefix and environment that point ``manage.py`` at a fresh database of the other engine."""
    env = {**os.environ, "MEDIA_ROOT": str(tmp_path / "restored-media"), "DJANGO_DEBUG": "1"}
    if connection.vendor == "sqlite":
        if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
            if os.environ.get("REQUIRE_POSTGRES") != "1":
                pytest.skip("PostgreSQL is not installed; scripts/test.sh installs it and requires this test")
            pytest.fail("PostgreSQL is not installed (scripts/setup.sh installs it)")
        env.pop("DATABASE_URL", None)
        return [str(ROOT / "scripts" / "with-postgres.sh")], env
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    return [], env


def sign(evaluation) -> list:
    """Sign ``evaluation`` off as the sign-off does: its report files rendered, sealed and stored (``reports.archive``)."""
    from django.utils import timezone

    from evaluations.enums import EvaluationStatus, TeamRole
    from reports.archive import freeze

    reviewer = evaluation.memberships.get(role=TeamRole.REVIEWER).user
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)
    evaluation.refresh_from_db()
    return freeze(evaluation, version=1, signed_by=reviewer, signed_at=timezone.now())


def test_an_archive_restores_into_the_other_database_engine(yanjin, tmp_path):
    frozen = sign(yanjin)
    summary = command("score_summary", str(yanjin.pk), "--json")
    files = sorted(digest for _name, digest in files_of(yanjin))
    assert len(files) == len(frozen) + 1  # the signed report files and the evidence
    archive = tmp_path / "yanjin.zip"
    command("export_evaluation", str(yanjin.pk), "--output", str(archive))
    prefix, env = other_engine_environment(tmp_path)
    python = sys.executable
    script = (
        f"{python} manage.py migrate --verbosity 0 && "
        f"new=$({python} manage.py import_evaluation {archive} | tail -n 1) && "
        f"{python} manage.py score_summary $new --json && "
        f"{python} manage.py shell --no-imports -c '{RESTORE_AND_REPORT}' && "
        f"{python} manage.py shell --no-imports -c 'from django.db import connection; print(connection.vendor)'"
    )
    done = subprocess.run([*prefix, "bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if not line.startswith("==>")]
    vendor = lines[-1]
    assert vendor == ("postgresql" if connection.vendor == "sqlite" else "sqlite")
    assert lines[-3] == summary.strip()
    assert json.loads(lines[-2]) == {"files": files}
