from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("import/", views.import_results, name="import"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/export/<str:file_format>/", views.round_export, name="export"),
    path("<int:pk>/weights/", views.round_weights, name="weights"),
    path("<int:pk>/progress/", views.round_progress, name="progress"),
    path("<int:pk>/verification-panel/", views.round_verification, name="verification-panel"),
    path("<int:pk>/verification-interviews/", views.round_interview, name="verification-interview"),
    path("<int:pk>/verification-results/", views.round_verification_results, name="verification-results"),
    path("<int:pk>/publish/", views.round_publish, name="publish"),
    path("<int:pk>/regions/<str:code>/", views.result_detail, name="result"),
    path("<int:pk>/regions/<str:code>/letter.pdf", views.result_letter, name="letter"),
    path("<int:pk>/regions/<str:code>/correct/", views.result_correct, name="correct"),
    path("<int:pk>/regions/<str:code>/findings/", views.result_finding, name="finding"),
    path("<int:pk>/regions/<str:code>/objection/", views.result_objection, name="objection"),
    path("follow-up/<int:pk>/", views.follow_up, name="follow-up"),
    path("follow-up/<int:pk>/evidence/", views.follow_up_evidence, name="follow-up-evidence"),
    path("verification/", views.my_verifications, name="verifications"),
    path("verification/<int:pk>/", views.verification, name="verification"),
]
