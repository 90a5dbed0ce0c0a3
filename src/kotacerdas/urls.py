from django.contrib import admin
from django.urls import include, path

from kotacerdas import views
from kotacerdas.api import api

urlpatterns = [
    path("", include("kotacerdas.reports.urls")),
    path("", include("kotacerdas.site.urls")),
    path("", include("kotacerdas.program.urls")),
    path("phases/<int:year>/screening/", include("kotacerdas.screening.urls")),
    path("regions/", include("kotacerdas.regions.urls")),
    path("indicators/", include("kotacerdas.indicators.urls")),
    path("history/", views.change_history, name="change-history"),
    path("accounts/", include("kotacerdas.accounts.urls")),
    path("assessment/", include("kotacerdas.assessment.urls")),
    path("questionnaires/", include("kotacerdas.questionnaires.urls")),
    path("masterplans/", include("kotacerdas.masterplans.urls")),
    path("mentoring/", include("kotacerdas.mentoring.urls")),
    path("evaluation/", include("kotacerdas.evaluation.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    path("tasks/<uuid:task_id>/", views.task_progress, name="task-progress"),
    path("tasks/<uuid:task_id>/file", views.task_file, name="task-file"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "kotacerdas.views.forbidden"
handler404 = "kotacerdas.views.not_found"
handler500 = "kotacerdas.views.server_error"
