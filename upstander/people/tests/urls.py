"""The project's URLs with the people and safeguarding prefixes, for tests until the project includes them."""

from django.urls import include, path

from upstander.urls import urlpatterns as project_urls

_included = {getattr(p, "namespace", None) for p in project_urls}
urlpatterns = list(project_urls)
if "people" not in _included:
    urlpatterns.append(path("people/", include("upstander.people.urls")))
if "safeguarding" not in _included:
    urlpatterns.append(path("safeguarding/", include("upstander.safeguarding.urls")))
