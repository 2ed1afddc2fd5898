# Views, URLs and an auth middleware for the Django round trips.
from django.http import JsonResponse
from django.urls import path


def require_token(get_response):
    # A bearer-token check on /api/private, as users write it: for every method (OPTIONS included).
    def middleware(request):
        if request.path.startswith("/api/private") and request.headers.get("Authorization") != "Bearer secret":
            return JsonResponse({"detail": "Not authenticated"}, status=401)
        return get_response(request)

    return middleware


def items(request):
    if request.method == "GET":
        response = JsonResponse([1, 2, 3], safe=False)
        response["X-Total-Count"] = "3"
        return response
    return JsonResponse({"ok": True})


def crash(request):
    raise RuntimeError("boom: the bug CORS errors hide")


def private(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("api/items", items),
    path("api/slash/", items),
    path("api/crash", crash),
    path("api/private", private),
]
