from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.my_assessments, name="mine"),
    path("<int:pk>/", views.score_candidate, name="score"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.candidate_evidence, name="evidence"),
    path("assessors/", views.assessor_list, name="assessors"),
    path("panels/", views.panel_list, name="panels"),
    path("panels/<int:year>/", views.panel_detail, name="panel"),
    path("panels/<int:year>/results/", views.results, name="results"),
    path("panels/<int:year>/selection/", views.selection, name="selection"),
    path("panels/<int:year>/mou/", views.mou_list, name="mou"),
    path("mou/<int:pk>/document/", views.mou_document, name="mou-document"),
    path("decisions/<int:year>/", views.decision_page, name="decision"),
    path("decisions/<int:year>/decision.pdf", views.decision_pdf, name="decision-pdf"),
]
