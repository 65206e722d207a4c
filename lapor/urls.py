from django.contrib import admin
from django.urls import include, path

from lapor.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("lapor.api.open311.urls")),
    path("channels/", include("lapor.channels.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("lapor.portal.account_urls")),
    path("ruang-kerja/", include("lapor.workbench.urls")),
    path("", include("lapor.dashboards.urls")),
    path("", include("lapor.portal.urls")),
]
