from django.urls import path

from upstander.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.front_door, name="front-door"),
    path("today/", views.today, name="today"),
]
