"""The staff workbench under /ruang-kerja/."""

from __future__ import annotations

from django.urls import URLPattern, path

from lapor.workbench.views import inbound, inbox, intake, moves, notices, profile, report, route

app_name = "workbench"

# Move name -> URL part of /ruang-kerja/laporan/<tracking>/<part>/ (POST only).
MOVE_PATHS = {
    "hold": "tunda",
    "archive": "arsip",
    "decline": "bukan-wewenang",
    "forward": "teruskan",
    "follow_up": "tindak-lanjut",
    "answer": "jawaban",
    "extend": "perpanjangan",
    "escalate": "ombudsman",
}

urlpatterns: list[URLPattern] = [
    path("", inbox.inbox, name="inbox"),
    path("laporan/<str:tracking>/", report.report_page, name="report"),
    path("laporan/<str:tracking>/identitas/", report.reveal_identity, name="reveal"),
    path("laporan/<str:tracking>/disposisi/", moves.route_screen, name="route"),
    *(
        path(f"laporan/<str:tracking>/{part}/", moves.make_move, {"action": name}, name=name)
        for name, part in MOVE_PATHS.items()
    ),
    path("instansi/cari/", route.institution_search, name="institution_search"),
    path("pesan-gagal/", notices.failed_messages, name="failed_messages"),
    path("pesan-masuk/", inbound.inbound_messages, name="inbound_messages"),
    path(
        "pesan-masuk/<str:message_id>/proses-ulang/",
        inbound.reprocess,
        name="inbound_reprocess",
    ),
    path("profil/", profile.profile, name="profile"),
    path("pengaduan-luring/", intake.intake, name="intake"),
    path("pengaduan-luring/<str:tracking>/", intake.intake_done, name="intake_done"),
    path("pengaduan-luring/<str:tracking>/tanda-terima/", intake.receipt, name="receipt"),
]
