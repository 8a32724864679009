from django.urls import path

from upstander.audit import views, witness_api, witness_views

app_name = "audit"
urlpatterns = [
    path("", views.search_view, name="search"),
    path("witness", witness_views.witness_page, name="witness"),
    path("api/since", witness_api.since, name="api_since"),
    path("api/witness", witness_api.witness_head, name="api_witness"),
]
