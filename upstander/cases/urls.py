from django.urls import path

from upstander.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:public_id>/", views.triage, name="triage"),
    path("inbox/<uuid:public_id>/open", views.triage_open, name="triage_open"),
    path("inbox/<uuid:public_id>/add", views.triage_add, name="triage_add"),
    path("inbox/<uuid:public_id>/release", views.triage_release, name="triage_release"),
    path("<str:code>/", views.case_detail, name="detail"),
    path("<str:code>/statement", views.statement, name="statement"),
    path("<str:code>/people", views.people_search, name="people"),
    path("<str:code>/do/<slug:action>", views.case_act, name="act"),
    path("<str:code>/escalations/<uuid:public_id>/seen", views.escalation_seen, name="escalation_seen"),
]
