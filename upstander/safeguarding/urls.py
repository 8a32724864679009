from django.urls import path

from upstander.safeguarding import views

app_name = "safeguarding"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rates", views.rates, name="rates"),
    path("tasks/<uuid:public_id>", views.task_detail, name="task"),
    path("alerts/<uuid:public_id>", views.alert_detail, name="alert"),
    path("alerts/<uuid:public_id>/close", views.close_alert, name="close_alert"),
]
