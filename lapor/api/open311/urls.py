"""Open311 GeoReport v2, mounted at /open311/v2/ (see docs/open311.md)."""

from django.urls import path, re_path

from lapor.api.open311 import views

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("", views.root, name="open311-root"),
    re_path(r"^discovery" + FMT, views.discovery, name="open311-discovery"),
    re_path(r"^services" + FMT, views.service_list, name="open311-services"),
    re_path(r"^services/(?P<code>[^/]+?)" + FMT, views.service_definition, name="open311-service"),
    re_path(r"^requests" + FMT, views.service_requests, name="open311-requests"),
    re_path(
        r"^requests/(?P<request_id>[^/]+?)" + FMT, views.service_request, name="open311-request"
    ),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FMT, views.token, name="open311-token"),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
