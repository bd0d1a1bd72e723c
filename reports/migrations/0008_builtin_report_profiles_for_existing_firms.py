"""Put the built-in report profiles into the library of every firm that exists already.

New firms get them when created (``reports.signals``). Historical models and
the JSON files only, so that this migration keeps working whatever the
services become; a firm's own profiles are left alone.
"""

import json
from pathlib import Path

from django.db import migrations

OUTLINES_DIR = Path(__file__).resolve().parents[1] / "outlines"


def install(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    ReportProfile = apps.get_model("reports", "ReportProfile")
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(OUTLINES_DIR.glob("*.json"))]
    for firm in Organization.objects.filter(kind="firm"):
        for document in documents:
            if ReportProfile.objects.filter(firm=firm, slug=document["slug"]).exists():
                continue
            name = document["name"]
            if ReportProfile.objects.filter(firm=firm, name=name).exists():
                name = f"{name}（内置）"
            ReportProfile.objects.create(
                firm=firm, slug=document["slug"], name=name, builtin=True,
                source=document.get("source", ""), definition=document["definition"],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("reports", "0007_report_profiles"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
