from django.urls import path, re_path
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView

from upstander.intake import answers, followup_views, views

app_name = "intake"
QUESTION_PATTERN = r"^new/(?P<page>" + "|".join(answers.QUESTION_PAGES) + r")$"
urlpatterns = [
    path("", views.start, name="start"),
    path("new/", never_cache(RedirectView.as_view(url="/report/new/how")), name="new"),
    path("new/files", views.files_page, name="files"),
    path("new/check", views.check_page, name="check"),
    path("new/resume", views.resume_page, name="resume"),
    re_path(QUESTION_PATTERN, views.question_page, name="page"),
    path("return", followup_views.return_page, name="return"),
    path("status", followup_views.status_page, name="status"),
    path("status/message", followup_views.send_message, name="message"),
    path("status/information", followup_views.add_information, name="information"),
    path("status/retaliation", followup_views.report_retaliation, name="retaliation"),
    path("status/review", followup_views.request_review, name="review"),
    path("exit", followup_views.quick_exit, name="exit"),
    path("leave", followup_views.leave, name="leave"),
]
