import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def attach_to_indicators(apps, schema_editor):
    """Each paper moves from its judgment to the judgment's indicator, numbered there in upload order."""
    Evidence = apps.get_model("rubrics", "Evidence")
    numbers: dict[int, int] = {}
    for evidence in Evidence.objects.select_related("judgment").order_by("uploaded_at", "pk"):
        indicator_id = evidence.judgment.indicator_id
        numbers[indicator_id] = numbers.get(indicator_id, 0) + 1
        evidence.indicator_id = indicator_id
        evidence.number = numbers[indicator_id]
        evidence.save(update_fields=["indicator", "number"])


class Migration(migrations.Migration):

    dependencies = [
        ("rubrics", "0009_judgment_revision_and_process_drafts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="indicator",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="evidence",
                                    to="rubrics.indicator", verbose_name="指标"),
        ),
        migrations.AddField(
            model_name="evidence",
            name="number",
            field=models.PositiveIntegerField(default=0, help_text="本指标内的序号；编号为“指标编码-序号”，移除后不再使用。",
                                              verbose_name="序号"),
        ),
        migrations.RunPython(attach_to_indicators, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evidence",
            name="indicator",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="evidence",
                                    to="rubrics.indicator", verbose_name="指标"),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="number",
            field=models.PositiveIntegerField(help_text="本指标内的序号；编号为“指标编码-序号”，移除后不再使用。", verbose_name="序号"),
        ),
        migrations.RemoveField(model_name="evidence", name="judgment"),
        migrations.AddField(
            model_name="evidence",
            name="document_date",
            field=models.DateField(blank=True, help_text="资料本身的日期（如文件印发日期），不是上传时间。", null=True,
                                   verbose_name="资料日期"),
        ),
        migrations.AddField(
            model_name="evidence",
            name="removed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="移除时间"),
        ),
        migrations.AddField(
            model_name="evidence",
            name="removed_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="移除人"),
        ),
        migrations.AlterModelOptions(
            name="evidence",
            options={"ordering": ["indicator__position", "number"], "verbose_name": "佐证材料", "verbose_name_plural": "佐证材料"},
        ),
        migrations.AddConstraint(
            model_name="evidence",
            constraint=models.UniqueConstraint(fields=("indicator", "number"), name="evidence_unique_number"),
        ),
    ]
