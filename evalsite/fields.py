"""Model fields that keep the limits of :mod:`evalsite.lib.text_limits` at the model, too.

Django checks a ``CharField``'s ``max_length`` in forms and in ``full_clean``;
a ``TextField``'s only in forms. :class:`BoundedTextField` checks it in
``full_clean`` as well, so a service that validates its model refuses a text
that a form would have refused; :class:`LinesLimit` does the same for the
JSON lists kept one item per line.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible

from evalsite.lib.text_limits import LINE, MAX_LINES, lines_problem


class BoundedTextField(models.TextField):
    """A long text with a ``max_length`` (required) that ``full_clean`` enforces."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is None:
            raise TypeError("BoundedTextField needs max_length")
        self.validators.append(MaxLengthValidator(self.max_length))


@deconstructible
class LinesLimit:
    """A JSON list of texts: at most ``max_lines`` items of at most ``max_length`` characters each."""

    def __init__(self, max_lines: int = MAX_LINES, max_length: int = LINE):
        self.max_lines = max_lines
        self.max_length = max_length

    def __call__(self, value) -> None:
        problem = lines_problem(value, self.max_lines, self.max_length)
        if problem:
            raise ValidationError(problem)

    def __eq__(self, other) -> bool:
        return isinstance(other, LinesLimit) and (self.max_lines, self.max_length) == (other.max_lines, other.max_length)
