from django.urls import path, re_path
from django.views.generic import RedirectView

from upstander.intake import answers, followup_views, views
from upstander.intake.views import reporter_page

app_name = "intake"
QUESTION_PATTERN = r"^new/(?P<page>" + "|".join(answers.QUESTION_PAGES) + r")$"
# Every reporter view is wrapped in reporter_page: no-store and the reporter side's Content-Security-Policy.
urlpatterns = [
    path("", reporter_page(views.start), name="start"),
    path("new/", reporter_page(RedirectView.as_view(url="/report/new/how")), name="new"),
    path("new/files", reporter_page(views.files_page), name="files"),
    path("new/check", reporter_page(views.check_page), name="check"),
    path("new/resume", reporter_page(views.resume_page), name="resume"),
    re_path(QUESTION_PATTERN, reporter_page(views.question_page), name="page"),
    path("return", reporter_page(followup_views.return_page), name="return"),
    path("status", reporter_page(followup_views.status_page), name="status"),
    path("status/message", reporter_page(followup_views.send_message), name="message"),
    path("status/information", reporter_page(followup_views.add_information), name="information"),
    path("status/retaliation", reporter_page(followup_views.report_retaliation), name="retaliation"),
    path("status/review", reporter_page(followup_views.request_review), name="review"),
    path("exit", reporter_page(followup_views.quick_exit), name="exit"),
    path("leave", reporter_page(followup_views.leave), name="leave"),
]
