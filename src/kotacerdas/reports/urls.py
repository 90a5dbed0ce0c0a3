from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("data-sources/", views.data_sources, name="data-sources"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
    path("regions/<str:code>/dossier/<int:year>/", views.dossier_page, name="dossier"),
    path("regions/<str:code>/dossier/<int:year>.pdf", views.dossier_pdf, name="dossier-pdf"),
    path("regions/<str:code>/dossier/evaluation/<int:year>/<int:stage>/", views.round_dossier_page, name="round-dossier"),
    path("regions/<str:code>/dossier/evaluation/<int:year>/<int:stage>.pdf", views.round_dossier_pdf, name="round-dossier-pdf"),
    path("dossiers/<int:year>/", views.phase_dossiers, name="phase-dossiers"),
    path("data/", views.open_data_index, name="open-data"),
    path("data/datapackage.json", views.open_data_package, name="open-data-package"),
    re_path(r"^data/(?P<name>[a-z-]+)\.(?P<file_format>csv|xlsx|json)$", views.open_data_resource, name="open-data-resource"),
]
