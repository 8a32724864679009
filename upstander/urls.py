"""URL prefixes follow the trust boundaries: the reporter side (/report/) can be served by its own process."""

from django.urls import include, path

from upstander import health
from upstander.oversight import metrics_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics_views.metrics, name="metrics"),
    path("accounts/", include("upstander.accounts.urls")),
    path("report/", include("upstander.intake.urls")),
    path("cases/reports/", include("upstander.cases.report_urls")),
    path("cases/<str:code>/evidence/", include("upstander.evidence.urls")),
    path("cases/", include("upstander.cases.urls")),
    path("oversight/", include("upstander.oversight.urls")),
    path("people/", include("upstander.people.urls")),
    path("safeguarding/", include("upstander.safeguarding.urls")),
    path("custody/", include("upstander.custody.urls")),
    path("audit/", include("upstander.oversight.audit_urls")),
    path("insight/", include("upstander.insight.urls")),
    path("", include("upstander.workspace.urls")),
]
