"""Chat evidence on a case: included under /cases/<code>/evidence/ (upstander/urls.py)."""

from django.urls import path

from upstander.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.index, name="index"),
    path("attach", views.attach, name="attach"),
    path("<uuid:export_id>/", views.export_page, name="export"),
    path("<uuid:export_id>/senders/<uuid:sender_id>/", views.sender_page, name="sender"),
    path("<uuid:export_id>/senders/<uuid:sender_id>/link", views.link_sender, name="link"),
    path("<uuid:export_id>/messages/<uuid:message_id>/decide", views.decide, name="decide"),
    path("<uuid:export_id>/whole-chat", views.whole_chat, name="whole_chat"),
    path("<uuid:export_id>/whole-chat/open", views.open_whole_chat, name="open_whole_chat"),
    path("<uuid:export_id>/summary", views.summary, name="summary"),
    path("<uuid:export_id>/original", views.original, name="original"),
]
