from django.urls import path

from . import views

urlpatterns = [
    path("", views.region_list, name="region-list"),
    path("agencies/import/", views.agency_import, name="agency-import"),
    path("<str:code>/", views.region_detail, name="region-detail"),
    path("<str:code>/agencies/", views.agency_list, name="region-agencies"),
]
