from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("", views.mentoring_home, name="home"),
    path("notes/", views.my_notes, name="notes"),
    path("<int:year>/", views.cohort_detail, name="cohort"),
    path("<int:year>/board/", views.board, name="board"),
    path("<int:year>/bimtek/<int:number>/", views.bimtek_schedule, name="bimtek"),
    path("<int:year>/regions/<str:code>/", views.region_mentoring, name="region"),
    path("outputs/<int:pk>/", views.output_download, name="output"),
    path("mentors/<int:pk>/calendar.ics", views.mentor_feed, name="mentor-calendar"),
    path("regions/<str:code>/calendar.ics", views.region_feed, name="region-calendar"),
    path("regions/<str:code>/institutions/", views.institutions_public, name="institutions-public"),
    path("regions/<str:code>/institutions/manage/", views.institutions_manage, name="institutions"),
    path("regions/<str:code>/institutions/<str:kind>/decree", views.institution_file, name="institution-decree"),
    path("regions/<str:code>/institutions/forums/<int:pk>/minutes", views.forum_minutes, name="forum-minutes"),
]
