from django.urls import path

from upstander.custody import views, views_identity

app_name = "custody"
urlpatterns = [
    path("", views.home, name="home"),
    path("invite", views.invite, name="invite"),
    path("enrol", views.enrol, name="enrol"),
    path("recover", views.recover, name="recover"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<uuid:public_id>/", views.account_detail, name="account"),
    path("accounts/<uuid:public_id>/reset-password", views.account_reset_password, name="account_reset_password"),
    path("accounts/<uuid:public_id>/reset-second-factor", views.account_reset_second_factor,
         name="account_reset_second_factor"),
    path("accounts/<uuid:public_id>/remove", views.account_remove, name="account_remove"),
    path("identities/", views_identity.identities, name="identities"),
    path("identities/<uuid:public_id>/decide", views_identity.identity_decide, name="identity_decide"),
    path("identities/<uuid:public_id>/open", views_identity.identity_open, name="identity_open"),
    path("holds/", views_identity.holds, name="holds"),
    path("holds/<uuid:public_id>/lift", views_identity.hold_lift, name="hold_lift"),
    path("oversight/", views_identity.oversight, name="oversight"),
]
