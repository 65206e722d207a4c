"""Staff dashboards under /dasbor/, public statistics under /statistik/ (mounted at the root)."""

from __future__ import annotations

from django.urls import URLPattern, path

from lapor.dashboards.views import lists, monthly, plans, public, ranking, staff

app_name = "dashboards"

urlpatterns: list[URLPattern] = [
    path("statistik/", public.statistics, name="public"),
    path("dasbor/", staff.home, name="home"),
    path("dasbor/nasional/", staff.national, name="national"),
    path("dasbor/instansi/<int:pk>/", staff.institution, name="institution"),
    path("dasbor/instansi/<int:pk>/bulanan/", monthly.monthly, name="monthly"),
    path("dasbor/instansi/<int:pk>/rencana-aksi/baru/", plans.plan_new, name="plan_new"),
    path("dasbor/provinsi/<int:pk>/", staff.province, name="province"),
    path("dasbor/laporan/", lists.reports, name="reports"),
    path("dasbor/peringkat/", ranking.ranking, name="ranking"),
    path("dasbor/keputusan/", ranking.decisions, name="decisions"),
    path("dasbor/keputusan/<int:pk>/", ranking.decision, name="decision"),
    path("dasbor/rencana-aksi/<int:pk>/", plans.plan_detail, name="plan"),
]
