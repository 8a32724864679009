from django.urls import path

from upstander.accounts import staff_views, views

app_name = "accounts"
urlpatterns = [
    path("login", views.login_view, name="login"),
    path("logout", views.logout_view, name="logout"),
    path("enrol", views.enrol_view, name="enrol"),
    path("staff/", staff_views.staff_accounts, name="staff"),
    path("staff/<uuid:public_id>/role", staff_views.change_role, name="change-role"),
    path("staff/<uuid:public_id>/disable", staff_views.disable, name="disable"),
]
