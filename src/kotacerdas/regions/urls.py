from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("agencies/import/", views.agency_import, name="agency-import"),
    path("<str:code>/agencies/", views.agency_list, name="agencies"),
]
