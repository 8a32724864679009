"""/audit/: the overseer's pages about the audit log, and the two token endpoints of the overseer's witness. Mounted
from upstander/urls.py; the namespace stays "audit", as the addresses do."""

from django.urls import path

from upstander.oversight import audit_views, witness_api

app_name = "audit"
urlpatterns = [
    path("", audit_views.search_view, name="search"),
    path("witness", audit_views.witness_page, name="witness"),
    path("api/since", witness_api.since, name="api_since"),
    path("api/witness", witness_api.witness_head, name="api_witness"),
]
