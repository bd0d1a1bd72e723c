"""Put the built-in templates into the library of every firm that exists already.

They used to be installed when someone opened the template list or an empty
indicator page (a GET that wrote); new firms now get them when created
(``rubrics.signals``). Historical models and the JSON files only, so that this
migration keeps working whatever the services become.
"""

import json
from pathlib import Path

from django.db import migrations

SYSTEMS_DIR = Path(__file__).resolve().parents[1] / "systems"


def install(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    IndicatorSystem = apps.get_model("rubrics", "IndicatorSystem")
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SYSTEMS_DIR.glob("*.json"))]
    for firm in Organization.objects.filter(kind="firm"):
        for document in documents:
            IndicatorSystem.objects.get_or_create(
                firm=firm,
                slug=document["slug"],
                defaults={
                    "name": document["name"],
                    "family": document.get("family", ""),
                    "source": document.get("source", ""),
                    "settings": document.get("settings") or {},
                    "tree": document["indicators"],
                    "builtin": True,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("rubrics", "0002_bindings_name_only_their_source"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
