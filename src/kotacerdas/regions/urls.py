from django.urls import path

from . import views

urlpatterns = [
    path("agencies/import/", views.agency_import, name="agency-import"),
    path("<str:code>/agencies/", views.agency_list, name="region-agencies"),
]
