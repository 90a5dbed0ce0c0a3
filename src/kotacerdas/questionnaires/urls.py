from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_questionnaires, name="questionnaire-mine"),
    path("forms/", views.form_list, name="questionnaire-forms"),
    path("forms/<int:pk>/", views.form_detail, name="questionnaire-form"),
    path("forms/<int:pk>/xlsform/", views.form_xlsform, name="questionnaire-form-xlsform"),
    path("<int:pk>/progress/", views.progress, name="questionnaire-progress"),
    path("<int:pk>/export/<str:file_format>/", views.export, name="questionnaire-export"),
    path("<int:pk>/fill/<str:code>/", views.fill, name="questionnaire-fill"),
    path("<int:pk>/fill/<str:code>/evidence/", views.evidence_upload, name="questionnaire-evidence-upload"),
    path("submissions/<int:pk>/review/", views.review, name="questionnaire-review"),
    path("submissions/<int:pk>/evidence.zip", views.evidence_zip, name="questionnaire-evidence-zip"),
    path("evidence/<int:pk>/", views.evidence_download, name="questionnaire-evidence"),
]
