"""The project's URLs plus the insight dashboard, for the dashboard tests until upstander/urls.py includes it."""

from django.urls import include, path

from upstander.urls import urlpatterns as project

urlpatterns = [*project, path("insight/", include("upstander.insight.urls"))]
