from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_assessments, name="assessment-mine"),
    path("<int:pk>/", views.score_candidate, name="assessment-score"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.candidate_evidence, name="assessment-evidence"),
    path("assessors/", views.assessor_list, name="assessment-assessors"),
    path("panels/", views.panel_list, name="assessment-panels"),
    path("panels/<int:year>/", views.panel_detail, name="assessment-panel"),
    path("panels/<int:year>/results/", views.results, name="assessment-results"),
    path("panels/<int:year>/selection/", views.selection, name="assessment-selection"),
    path("panels/<int:year>/mou/", views.mou_list, name="assessment-mou"),
    path("decisions/<int:year>/", views.decision_page, name="assessment-decision"),
    path("decisions/<int:year>/decision.pdf", views.decision_pdf, name="assessment-decision-pdf"),
]
