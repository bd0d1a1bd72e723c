"""Seed 002's two surveys (demo/yanjin_2022_surveys.json) as engine specs, respondent rows and workbooks."""

from __future__ import annotations

import io
import json
import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from surveys.results import OptionSpec, QuestionSpec, SurveySpec

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "yanjin_2022_surveys.json"
PUBLIC = "企业和办事群众"
STAFF = "大厅入驻单位工作人员"


def demo_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def survey_data(group: str) -> dict:
    return next(s for s in demo_data()["surveys"] if s["group"] == group)


def seed_spec(group: str, **changes) -> SurveySpec:
    data = survey_data(group)
    fields = {
        "group": group,
        "title": data["title"],
        "method": data["method"],
        "aggregation": data["aggregation"],
        "issued": data["issued"],
        "returned": data["returned"],
        "valid": data["valid"],
        "questions": tuple(
            QuestionSpec(
                q["title"],
                tuple(OptionSpec(o["label"], Decimal(o["weight"]), o["count"], o["excluded"]) for o in q["options"]),
                q["counted"],
            )
            for q in data["questions"]
        ),
    }
    fields.update(changes)
    return SurveySpec(**fields)


def respondent_rows(group: str, *, seed: int = 2022, letters: bool = False) -> list[list[str]]:
    """One list of answers per respondent reproducing the seed's counts, each question shuffled on its own."""
    data = survey_data(group)
    rng = random.Random(seed)
    columns = []
    for question in data["questions"]:
        answers = []
        for index, option in enumerate(question["options"]):
            text = f"{'ABCDEFG'[index]}.{option['label']}" if letters else option["label"]
            answers += [text] * option["count"]
        rng.shuffle(answers)
        columns.append(answers)
    return [list(row) for row in zip(*columns, strict=True)]


def workbook_bytes(rows: list[list], title: str = "Sheet1") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_rows(group: str, *, meta: bool = True, numbering: bool = True, letters: bool = False) -> list[list]:
    """What an online survey tool exports "按选项文本": 序号, 提交答卷时间, then one column per question."""
    data = survey_data(group)
    titles = [f"{n}、{q['title']}" if numbering else q["title"] for n, q in enumerate(data["questions"], start=1)]
    header = (["序号", "提交答卷时间"] if meta else []) + titles
    start = datetime(2023, 10, 9, 9, 0)
    body = [
        ([number, start + timedelta(minutes=7 * number)] if meta else []) + answers
        for number, answers in enumerate(respondent_rows(group, letters=letters), start=1)
    ]
    return [header, *body]


def export_workbook(group: str, **kwargs) -> bytes:
    return workbook_bytes(export_rows(group, **kwargs))
