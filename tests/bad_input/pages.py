"""The forms a page offers, read as a browser reads them: what it would post if nobody changed anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

#: Input types a person types text into; ``number`` inputs get the number cases.
TEXT_TYPES = {"text", "search", "email", "url", "tel", ""}
NUMBER_TYPES = {"number"}
IGNORED_TYPES = {"submit", "button", "reset", "image", "file", "password"}


@dataclass
class Field:
    name: str
    kind: str  # "text", "textarea", "number", "hidden", "select", "checkbox", "radio", "date", "password"
    value: str | None = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    fields: list[Field]
    multipart: bool = False
    button: tuple[str, str] | None = None  # the first named submit button, as if it were clicked

    def data(self) -> dict[str, list[str]]:
        """What the browser posts: each field's current value (checked boxes only, the selected option)."""
        data: dict[str, list[str]] = {}
        for item in self.fields:
            if item.kind in ("checkbox", "radio") and item.value is None:
                continue
            data.setdefault(item.name, []).append(item.value)
        if self.button:
            data.setdefault(self.button[0], []).append(self.button[1])
        return data

    def named(self, *kinds: str) -> list[str]:
        """The distinct names of the fields of these kinds, in page order."""
        names: list[str] = []
        for item in self.fields:
            if item.kind in kinds and item.name not in names:
                names.append(item.name)
        return names


class _Parser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._option_selected = False
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                action = urljoin(self.page_url, attrs.get("action") or self.page_url)
                self._form = Form(action, [], multipart="multipart" in (attrs.get("enctype") or ""))
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if tag == "button" or (tag == "input" and (attrs.get("type") or "").lower() in ("submit", "image")):
            if name and form.button is None and "formaction" not in attrs:
                form.button = (name, attrs.get("value") or "")
            return
        if not name:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in IGNORED_TYPES:
                return
            if kind in ("checkbox", "radio"):
                value = (attrs.get("value") or "on") if "checked" in attrs else None
                form.fields.append(Field(name, kind, value))
                return
            mapped = "text" if kind in TEXT_TYPES else kind
            form.fields.append(Field(name, mapped, attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = Field(name, "textarea", "")
            form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field(name, "select", "")
            self._first_option = None
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = attrs.get("value", "")
            self._option_selected = "selected" in attrs

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]  # the newline after <textarea> is not content
            self._textarea = None
        elif tag == "option" and self._select is not None and self._option is not None:
            self._select.options.append(self._option)
            if self._first_option is None:
                self._first_option = self._option
                self._select.value = self._option
            if self._option_selected:
                self._select.value = self._option
            self._option = None
        elif tag == "select":
            self._select = None


def post_forms(html: str, page_url: str) -> list[Form]:
    parser = _Parser(page_url)
    parser.feed(html)
    return parser.forms
