from django.http import HttpResponse


def phase_list(request):
    return HttpResponse("todo")


def phase_detail(request, year):
    return HttpResponse("todo")
