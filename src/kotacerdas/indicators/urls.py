from django.urls import path

from . import views

urlpatterns = [
    path("", views.indicator_list, name="indicator-list"),
    path("imports/", views.import_page, name="indicator-import"),
    path("imports/<int:pk>/", views.import_detail, name="indicator-import-detail"),
    path("<slug:code>/", views.indicator_detail, name="indicator-detail"),
]
