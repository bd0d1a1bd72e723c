"""A binding names only its source: ``{"ratio": key}`` or ``{"survey": group}``.

Before, a binding also carried ``"input"``, which repeated what the rule kind
decides (and the tree editor wrote ``"rate"`` whatever the rule, so a bands
rule bound to a ratio was never fed). The engine now derives the input from
the rule kind. A binding on a rule kind that takes no bound input never fed
anything; it is dropped. Applies to the evaluations' indicator rows and to the
templates' trees.

The table of which rule kinds take a bound input is frozen here on purpose (a
migration must not change when the engine does); the engine's own registry is
``rubrics.scoring.RULE_KINDS``.
"""

from django.db import migrations

# rule kind → the input a bound value feeds, as of this migration.
BOUND_INPUTS = {"ratio": "actual", "rate_deviation": "rate", "bands": "value"}
SOURCES = ("ratio", "survey")


def source_only(binding, rule):
    """The new shape of one binding, or None when there is nothing it could feed."""
    if not isinstance(binding, dict):
        return None
    kind = (rule or {}).get("kind") or "judgment"
    named = [key for key in SOURCES if binding.get(key)]
    if not named or kind not in BOUND_INPUTS:
        return None
    return {named[0]: binding[named[0]]}


def with_input(binding, rule):
    """The old shape, for going back: the input the rule kind takes written out."""
    if not isinstance(binding, dict):
        return binding
    kind = (rule or {}).get("kind") or "judgment"
    return {"input": BOUND_INPUTS.get(kind, "rate"), **binding}


def _rewrite_tree(nodes, change):
    changed = False
    for node in nodes or []:
        if node.get("binding"):
            new = change(node["binding"], node.get("rule"))
            if new != node["binding"]:
                node["binding"] = new
                changed = True
        changed = _rewrite_tree(node.get("children"), change) or changed
    return changed


def _rewrite(apps, change):
    Indicator = apps.get_model("rubrics", "Indicator")
    IndicatorSystem = apps.get_model("rubrics", "IndicatorSystem")
    for row in Indicator.objects.filter(binding__isnull=False).only("pk", "binding", "rule"):
        new = change(row.binding, row.rule)
        if new != row.binding:
            Indicator.objects.filter(pk=row.pk).update(binding=new)
    for system in IndicatorSystem.objects.only("pk", "tree"):
        tree = system.tree
        if _rewrite_tree(tree, change):
            IndicatorSystem.objects.filter(pk=system.pk).update(tree=tree)


def forwards(apps, schema_editor):
    _rewrite(apps, source_only)


def backwards(apps, schema_editor):
    _rewrite(apps, with_input)


class Migration(migrations.Migration):
    dependencies = [("rubrics", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
