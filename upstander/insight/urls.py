"""The figures pages, under /insight/ (included by upstander/urls.py)."""

from django.urls import path

from upstander.insight import report_views, views

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("publish", views.publish, name="publish"),
    path("reports/<uuid:public_id>/", report_views.report, name="report"),
    path("reports/<uuid:public_id>/download", report_views.report_zip, name="report_zip"),
    path("reports/<uuid:public_id>/files/<path:name>", report_views.report_file, name="report_file"),
    path("checking", report_views.checking, name="checking"),
    path("checking/key", report_views.signing_key, name="signing_key"),
]
