from django.urls import path

from . import views

app_name = "program"

urlpatterns = [
    path("phases/", views.phase_list, name="phase-list"),
    path("phases/new/", views.phase_create, name="phase-new"),
    path("phases/<int:year>/", views.phase_detail, name="phase-detail"),
    path("regions/", views.region_list, name="region-list"),
]
