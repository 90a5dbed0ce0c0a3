from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("imports/", views.import_page, name="import"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("<slug:code>/", views.indicator_detail, name="detail"),
]
