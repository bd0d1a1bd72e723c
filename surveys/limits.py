"""How long each stored text of a questionnaire may be.

Django-free, because the respondent-sheet counter (:mod:`surveys.tally`,
tested without Django) checks the titles and answers it turns into questions
and options; the model fields take their ``max_length`` from here.
"""

from __future__ import annotations

GROUP = 50  # 调查对象
TITLE = 100  # 问卷名称
MODE = 50  # 调查方式
SOURCE = 200  # 份数来源
QUESTION = 300  # 题目
OPTION = 100  # 选项
MAX_COUNT = 10_000_000  # 份数: any survey, far inside the database integer
MAX_OPTIONS = 12  # options of one question (more is not a single-choice question)
