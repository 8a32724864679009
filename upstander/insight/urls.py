"""The insight dashboard, under /insight/ (to be included by upstander/urls.py)."""

from django.urls import path

from upstander.insight import views

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
