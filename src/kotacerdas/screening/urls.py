from django.urls import path

from . import views

urlpatterns = [
    path("", views.run_list, name="screening-runs"),
    path("new/", views.run_create, name="screening-run-new"),
    path("compare/", views.compare, name="screening-compare"),
    path("rules/", views.rule_list, name="screening-rules"),
    path("rules/<int:rule_id>/delete/", views.rule_delete, name="screening-rule-delete"),
    path("rules/<int:rule_id>/checklist/", views.checklist, name="screening-checklist"),
    path("rules/<int:rule_id>/checklist/import/", views.checklist_import, name="screening-checklist-import"),
    path("<int:run_id>/", views.run_detail, name="screening-run"),
    path("<int:run_id>/regions/<str:code>/", views.region_explanation, name="screening-explanation"),
    path("<int:run_id>/what-if/", views.what_if, name="screening-what-if"),
    path("<int:run_id>/confirm/", views.confirm, name="screening-confirm"),
    path("<int:run_id>/invitations/", views.invitations, name="screening-invitations"),
]
