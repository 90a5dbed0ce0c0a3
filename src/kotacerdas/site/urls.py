from django.urls import path

from . import views

app_name = "site"

urlpatterns = [
    path("start/", views.start, name="start"),
    # The program's list of phases, with each published decision linked.
    path("phases/", views.phase_list, name="phases"),
    # The phase page itself (program's view, with its stages' links added here).
    path("phases/<int:year>/", views.phase_page, name="phase"),
]
