"""Background tasks (django-tasks): run by ``manage.py db_worker`` against the app's database.

Each task takes ids only (its arguments travel through the queue as JSON) and
does its work through the module that owns it.
"""

from django_tasks import task

from reports.render_jobs import run_render_job


@task()
def render_report(job_pk: int) -> None:
    """Render one queued draft (a download or the preview) and store its file."""
    run_render_job(job_pk)
