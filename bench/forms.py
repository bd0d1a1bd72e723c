"""What a browser would submit from a page's form: its fields with their current values.

The benches post the judgment form as the page renders it (hidden fields,
the ticked radio, the selected option, the texts), so they keep working when
the form gains fields.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, marker: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.depth = 0  # inside the wanted <form>
        self.fields: list[tuple[str, str]] = []
        self.radios: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and self.depth == 0 and self.marker in " ".join(f"{k}={v}" for k, v in attrs):
            self.depth = 1
            return
        if not self.depth:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("submit", "button", "file"):
                return
            if kind == "radio":
                self.radios.setdefault(name, []).append(attributes.get("value", "on"))
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            elif kind == "checkbox":
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            else:
                self.fields.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            self._first_option = value if self._first_option is None else self._first_option
            if "selected" in attributes:
                self._select_value = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth = 0
        elif tag == "select" and self._select:
            self.fields.append((self._select, self._select_value if self._select_value is not None else self._first_option or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_fields(html: str, marker: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The fields of the first form whose attributes contain ``marker``, and each radio group's choices."""
    reader = _FormReader(marker)
    reader.feed(html)
    return dict(reader.fields), reader.radios
