from django.urls import path

from . import views

urlpatterns = [
    path("", views.phase_list, name="phase-list"),
    path("<int:year>/", views.phase_detail, name="phase-detail"),
]
