from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("data-sources/", views.data_sources, name="data-sources"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
]
