from django.urls import path

from upstander.people import api, views

app_name = "people"
urlpatterns = [
    path("api/feed", api.feed, name="feed"),
    path("declarations", views.my_declarations, name="my_declarations"),
    path("<uuid:public_id>/declarations", views.declarations, name="declarations"),
    path("<uuid:public_id>/declarations/<uuid:association_id>/end", views.end_declaration, name="end_declaration"),
]
