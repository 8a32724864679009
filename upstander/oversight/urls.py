from django.urls import path

from upstander.oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("escalations/", views.escalations, name="escalations"),
    path("statistics/", views.statistics, name="statistics"),
]
