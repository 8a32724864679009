from django.urls import path

from upstander.cases import report_views

app_name = "reports"
urlpatterns = [
    path("", report_views.report_list, name="list"),
    path("disclosures/new", report_views.disclosure_new, name="disclosure_new"),
    path("<uuid:public_id>/", report_views.report_detail, name="detail"),
    path("<uuid:public_id>/reply", report_views.report_reply, name="reply"),
    path("<uuid:public_id>/files/<uuid:file_id>", report_views.report_file, name="file"),
]
