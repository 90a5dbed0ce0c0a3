from django.http import HttpResponse


def region_list(request):
    return HttpResponse("todo")


def region_detail(request, code):
    return HttpResponse("todo")
