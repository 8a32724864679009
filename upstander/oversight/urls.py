from django.urls import path

from upstander.oversight import crew_views, views

app_name = "oversight"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("escalations/", views.escalations, name="escalations"),
    path("statistics/", views.statistics, name="statistics"),
    path("crews", crew_views.crews, name="crews"),
]
