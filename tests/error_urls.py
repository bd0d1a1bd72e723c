"""The site's URLs plus one that fails, to see the 500 page as a user would."""

from django.urls import path

from evalsite.urls import handler403, handler404
from evalsite.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("deliberate failure for the 500 page")


urlpatterns = [*site_urlpatterns, path("fail/", fail, name="fail")]

__all__ = ["handler403", "handler404", "urlpatterns"]
