"""Action plans: targets against the indicators, activities, notes; who may write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lapor.dashboards.models import ActionPlan, ActionPlanActivity, ActionPlanNote
from lapor.dashboards.plans import plan_progress
from lapor.dashboards.tree import Tree
from tests.dashboards.builders import known_city_set, refresh
from tests.factories import PASSWORD


@pytest.fixture
def plan(world, client):
    known_city_set(world)
    refresh()
    client.login(username=world.city_admin.username, password=PASSWORD)
    response = client.post(
        reverse("dashboards:plan_new", args=[world.city.pk]),
        {"title": "Rencana aksi 2025", "period_start": "2025-01-01", "period_end": "2025-12-31"},
    )
    plan = ActionPlan.objects.get()
    assert response["Location"] == reverse("dashboards:plan", args=[plan.pk])
    url = response["Location"]
    for indicator, target in (
        ("on_time_rate", "50"),
        ("follow_up_rate", "70"),
        ("median_completion", "15"),
    ):
        posted = client.post(url, {"aksi": "target", "target-indicator": indicator,
                                   "target-target": target})  # fmt: skip
        assert posted.status_code == 302
    activity = {
        "aksi": "activity",
        "activity-description": "Pelatihan penghubung",
        "activity-owner": "Sekretariat",
        "activity-due_on": "2025-02-01",
    }
    client.post(url, activity)
    client.post(url, {"aksi": "note", "note-text": "Pelatihan dijadwalkan ulang."})
    return plan


def test_progress_against_targets(world, plan):
    progress = plan_progress(plan, Tree.load(), plan.period_end)
    by_indicator = {t.target.indicator: t for t in progress.targets}
    assert by_indicator["on_time_rate"].actual == 25.0
    assert by_indicator["on_time_rate"].met is False
    assert by_indicator["follow_up_rate"].actual == 75.0 and by_indicator["follow_up_rate"].met
    assert by_indicator["median_completion"].actual == 14.0
    assert by_indicator["median_completion"].met  # lower is better: 14 <= 15
    assert progress.activities_late == 1 and progress.activities_done == 0
    assert [n.text for n in progress.notes] == ["Pelatihan dijadwalkan ulang."]


def test_dashboard_shows_the_plan(world, plan, client):
    url = reverse("dashboards:institution", args=[world.city.pk]) + "?periode=2025"
    html = client.get(url).content.decode()
    assert "Rencana aksi 2025" in html
    assert "2 dari 3 target tercapai" in html
    assert "1 terlambat" in html


def test_activity_status_and_immutable_notes(world, plan, client):
    activity = ActionPlanActivity.objects.get()
    url = reverse("dashboards:plan", args=[plan.pk])
    client.post(url, {"aksi": "status", "activity": activity.pk, "status": "done"})
    activity.refresh_from_db()
    assert activity.status == "done" and activity.done_on is not None
    note = ActionPlanNote.objects.get()
    with pytest.raises(PermissionError):
        note.save()
    with pytest.raises(PermissionError):
        ActionPlanNote.objects.all().delete()


def test_leadership_reads_but_does_not_write(world, plan, client):
    client.logout()
    client.login(username=world.leader.username, password=PASSWORD)
    url = reverse("dashboards:plan", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Tambah kegiatan" not in page.content.decode()
    assert client.post(url, {"aksi": "note", "note-text": "x"}).status_code == 403
    client.logout()
    client.login(username=world.other_admin.username, password=PASSWORD)
    assert client.get(url).status_code == 404


def test_every_progress_note_is_shown(world, plan, client):
    url = reverse("dashboards:plan", args=[plan.pk])
    for i in range(1, 8):
        client.post(url, {"aksi": "note", "note-text": f"Catatan ke-{i}."})
    html = client.get(url).content.decode()
    assert html.count("<li><small") == 8  # the fixture's note and these seven
    assert "Catatan ke-1." in html and "Pelatihan dijadwalkan ulang." in html
    assert len(plan_progress(plan, Tree.load(), plan.period_end).notes) == 8


def test_status_form_changes_the_chosen_activity(world, plan, client):
    activity = ActionPlanActivity.objects.get()
    url = reverse("dashboards:plan", args=[plan.pk])
    html = client.get(url).content.decode()
    assert f'<option value="{activity.pk}">Pelatihan penghubung' in html
    client.post(url, {"aksi": "status", "activity": activity.pk, "status": "in_progress"})
    activity.refresh_from_db()
    assert activity.status == "in_progress"


def test_activity_table_names_the_policy_window(world, plan, client):
    from lapor.dashboards.ranking import current_ranking_policy

    policy = current_ranking_policy()
    policy.active_admin_days = 14
    policy.save()
    url = reverse("dashboards:institution", args=[world.city.pk]) + "?periode=2025"
    html = client.get(url).content.decode()
    assert "Aktivitas admin dan petugas (14 hari terakhir)" in html
    assert "Masuk dalam 14 hari" in html and "30 hari" not in html
