from django.urls import path

from . import views

app_name = "masterplans"

urlpatterns = [
    path("", views.plan_index, name="index"),
    path("library/", views.program_library, name="library"),
    path("taxonomy/", views.taxonomy, name="taxonomy"),
    path("template.xlsx", views.template_xlsx, name="template"),
    path("regions/<str:code>/", views.region_plans, name="region"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/regulation/", views.signed_regulation, name="signed-regulation"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/programs/new/", views.program_new, name="program-new"),
    path("<int:pk>/programs/<int:program_id>/", views.program_edit, name="program-edit"),
    path("<int:pk>/programs/<int:program_id>/delete/", views.program_delete, name="program-delete"),
    path("<int:pk>/workflow/<slug:name>/", views.transition, name="transition"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/progress/<int:program_id>/<int:year>/evidence/", views.progress_evidence, name="progress-evidence"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
    path("<int:pk>/comments/", views.comment, name="comment"),
    path("<int:pk>/comments/<int:comment_id>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/diff/<int:other>/", views.diff, name="diff"),
    path("<int:pk>/import/", views.import_programs, name="import"),
    path("<int:pk>/plan.xlsx", views.export_xlsx, name="export-xlsx"),
    path("<int:pk>/plan.pdf", views.export_pdf, name="export-pdf"),
]
