from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("", views.run_list, name="runs"),
    path("new/", views.run_create, name="run-new"),
    path("compare/", views.compare, name="compare"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:rule_id>/delete/", views.rule_delete, name="rule-delete"),
    path("rules/<int:rule_id>/checklist/", views.checklist, name="checklist"),
    path("rules/<int:rule_id>/checklist/import/", views.checklist_import, name="checklist-import"),
    path("<int:run_id>/", views.run_detail, name="run"),
    path("<int:run_id>/regions/<str:code>/", views.region_explanation, name="explanation"),
    path("<int:run_id>/what-if/", views.what_if, name="what-if"),
    path("<int:run_id>/confirm/", views.confirm, name="confirm"),
    path("<int:run_id>/invitations/", views.invitations, name="invitations"),
]
