from django.urls import path

from . import views

app_name = "questionnaires"

urlpatterns = [
    path("", views.my_questionnaires, name="mine"),
    path("forms/", views.form_list, name="forms"),
    path("forms/<int:pk>/", views.form_detail, name="form"),
    path("forms/<int:pk>/xlsform/", views.form_xlsform, name="form-xlsform"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/export/<str:file_format>/", views.export, name="export"),
    path("<int:pk>/fill/<str:code>/", views.fill, name="fill"),
    path("<int:pk>/fill/<str:code>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("submissions/<int:pk>/review/", views.review, name="review"),
    path("submissions/<int:pk>/evidence.zip", views.evidence_zip, name="evidence-zip"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
