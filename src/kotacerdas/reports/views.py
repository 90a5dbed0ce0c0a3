from django.http import HttpResponse


def home(request):
    return HttpResponse("todo")


def data_sources(request):
    return HttpResponse("todo")
