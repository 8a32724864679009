from django.urls import path

from upstander.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
]
