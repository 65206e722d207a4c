"""The citizen portal's pages (mounted at the site root)."""

from django.urls import path

from lapor.portal.views import files, home, public, submit, track

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("lapor/", submit.submit, name="submit"),
    path("lapor/terkirim/<str:tracking>/", submit.submitted, name="submitted"),
    path("wilayah/kabupaten-kota/", submit.regencies, name="regencies"),
    path("lacak/", track.track, name="track"),
    path("lacak/<str:tracking>/", track.report_private, name="report_private"),
    path("lacak/<str:tracking>/<slug:action>/", track.report_action, name="report_action"),
    path("laporan-saya/", track.my_reports, name="my_reports"),
    path("laporan/", public.public_list, name="public_list"),
    path("laporan/<str:tracking>/", public.public_detail, name="public_detail"),
    path("lampiran/<int:pk>/<str:name>", files.attachment, name="attachment"),
]
