"""The ranking: order, the minimum-volume rule, hand-computed scores, grades, snapshots."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from lapor.dashboards.models import Decision, RankingSnapshot
from lapor.dashboards.periods import year
from lapor.dashboards.ranking import (
    StaleRanking,
    build_ranking,
    current_ranking_policy,
    ranking_version,
    record_decision,
)
from lapor.dashboards.tree import Tree
from lapor.institutions.models import ComplaintTeamDecree
from tests.dashboards.builders import at, bulk_reports, march, refresh, story
from tests.factories import PASSWORD, make_institution

NOW = at(2026, 1, 5, 9)
MONDAY = date(2025, 3, 10)
LB_ALL_200 = 1 / (1 + 1.96**2 / 200)  # Wilson lower bound of 200 out of 200: 0.981154
LB_150_200 = 0.685658  # test_pure.py
LB_ALL_40 = 1 / (1 + 1.96**2 / 40)  # 0.912375


@pytest.fixture
def cities(world):
    """Three cities: Samarinda with 2 reports, Balikpapan with 200 (150 on time), Bontang with
    40 (all on time)."""
    bontang = make_institution("Pemerintah Kota Bontang", "city", world.province, "64.74")
    story(world, submitted=march(3), routed=march(3, 10), responded=march(4), answered=march(5),
          confirmed=march(6))  # fmt: skip
    story(world, submitted=march(4), routed=march(4, 10))
    bulk_reports(world, world.other_city, 200, on_time=150, day=MONDAY)
    bulk_reports(world, bontang, 40, on_time=40, day=MONDAY)
    refresh()
    return bontang


def ranked(group="kabupaten-kota"):
    return build_ranking(Tree.load(), group, year(2025), NOW)


def test_order_scores_and_minimum_volume(world, cities):
    rows = ranked()
    assert [r.node.name for r in rows] == [
        "Pemerintah Kota Bontang",
        "Pemerintah Kota Balikpapan",
        "Pemerintah Kota Samarinda",
    ]
    bontang, balikpapan, samarinda = rows
    # Weights 20/15/30/10/15/10; no ratings, no decree, no admin logged in.
    assert bontang.score == pytest.approx(75 * LB_ALL_40, abs=1e-3)  # 68.428
    assert balikpapan.score == pytest.approx(45 * LB_ALL_200 + 30 * LB_150_200, abs=1e-3)  # 64.722
    assert balikpapan.components["on_time"] == pytest.approx(LB_150_200, abs=1e-5)
    assert (bontang.rank, balikpapan.rank) == (1, 2)
    assert (bontang.grade, balikpapan.grade) == ("sedang", "sedang")
    # Two perfect reports are not evidence enough: no score, no rank, no grade.
    assert samarinda.volume == 2 and samarinda.score is None and samarinda.rank is None
    assert samarinda.grade_label == "Data belum cukup"


def test_compliance_counts_decree_and_active_admins(world, cities):
    ComplaintTeamDecree.objects.create(
        institution=world.other_city, number="188/1/2025", issued_on=date(2025, 1, 2)
    )
    world.other_admin.last_login = at(2025, 12, 30, 8)
    world.other_admin.save(update_fields=["last_login"])
    balikpapan = next(r for r in ranked() if r.node.id == world.other_city.pk)
    assert balikpapan.decree_current and balikpapan.admins_active
    assert balikpapan.components["compliance"] == 1.0
    assert balikpapan.score == pytest.approx(45 * LB_ALL_200 + 30 * LB_150_200 + 10, abs=1e-3)
    assert balikpapan.rank == 1


def test_expired_decree_is_on_file_but_not_current(world, cities):
    ComplaintTeamDecree.objects.create(
        institution=world.other_city,
        number="188/1/2020",
        issued_on=date(2020, 1, 2),
        valid_until=date(2022, 12, 31),
    )
    balikpapan = next(r for r in ranked() if r.node.id == world.other_city.pk)
    assert balikpapan.decree_on_file and not balikpapan.decree_current
    assert balikpapan.components["compliance"] == 0


def test_policy_thresholds(world, cities):
    policy = current_ranking_policy()
    policy.min_volume = 2
    policy.grade_good_min = 65
    policy.save()
    rows = {r.node.name: r for r in ranked()}
    assert rows["Pemerintah Kota Samarinda"].score is not None
    assert rows["Pemerintah Kota Bontang"].grade == "baik"  # 68.4 >= 65
    assert rows["Pemerintah Kota Balikpapan"].grade == "sedang"  # 64.7 < 65


def test_kinds_are_ranked_separately(world, cities):
    assert [r.node.id for r in ranked("kementerian")] == [world.ministry.pk]
    assert world.ministry.pk not in [r.node.id for r in ranked()]


def test_decision_keeps_an_immutable_snapshot(world, cities):
    decision = record_decision(
        actor=world.national_admin,
        institution=world.other_city,
        kind=Decision.Kind.WARNING,
        period=year(2025),
        reason="Penyelesaian tepat waktu di bawah 80 %.",
        now=NOW,
    )
    snapshot = decision.snapshot
    row = snapshot.row_for(world.other_city.pk)
    assert row is not None and row["rank"] == 2 and row["counters"]["finished_on_time"] == 150
    assert snapshot.policy["min_volume"] == 30
    with pytest.raises(PermissionError):
        snapshot.save()
    with pytest.raises(PermissionError):
        snapshot.delete()
    with pytest.raises(PermissionError):
        RankingSnapshot.objects.filter(pk=snapshot.pk).update(group="x")
    with pytest.raises(PermissionError):
        RankingSnapshot.objects.all().delete()
    with pytest.raises(PermissionError):
        decision.save()
    # Later data does not change what the decision rested on.
    bulk_reports(world, world.other_city, 10, on_time=10, day=date(2025, 3, 17))
    refresh()
    snapshot.refresh_from_db()
    assert snapshot.row_for(world.other_city.pk)["counters"]["routed"] == 200


def test_national_admin_records_a_decision_from_the_ranking_page(world, cities, client):
    client.login(username=world.national_admin.username, password=PASSWORD)
    url = reverse("dashboards:ranking") + "?kelompok=kabupaten-kota&periode=2025"
    page = client.get(url)
    assert page.status_code == 200
    assert "Pemerintah Kota Bontang" in page.content.decode()
    response = client.post(
        url,
        {"institution": world.other_city.pk, "kind": "award", "reason": "Volume terbesar.",
         "version": shown_version(page)},
    )  # fmt: skip
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:decision", args=[decision.pk])
    assert decision.snapshot.period_start == date(2025, 1, 1)
    detail = client.get(response["Location"])
    assert "Pemerintah Kota Balikpapan" in detail.content.decode()


def shown_version(page):
    return re.search(r'name="version" value="([^"]+)"', page.content.decode()).group(1)


def test_a_decision_rests_on_the_ranking_the_admin_saw(world, cities, client):
    """Summaries refreshed between viewing and posting: nothing is recorded, the admin is told
    and shown the new ranking; posted again from it, the snapshot is that new ranking."""
    client.login(username=world.national_admin.username, password=PASSWORD)
    url = reverse("dashboards:ranking") + "?kelompok=kabupaten-kota&periode=2025"
    seen = client.get(url)
    seen_token = Tree.load().version.token
    bulk_reports(world, world.other_city, 10, on_time=10, day=date(2025, 3, 17))
    refresh()
    data = {"institution": world.other_city.pk, "kind": "award", "reason": "Terbaik."}
    refused = client.post(url, {**data, "version": shown_version(seen)})
    assert refused.status_code == 409
    assert "Keputusan belum dicatat" in refused.content.decode()
    assert not Decision.objects.exists() and not RankingSnapshot.objects.exists()
    assert shown_version(refused) != shown_version(seen)
    response = client.post(url, {**data, "version": shown_version(refused)})
    assert response.status_code == 302
    snapshot = Decision.objects.get().snapshot
    assert snapshot.stats_token == Tree.load().version.token != seen_token
    assert snapshot.row_for(world.other_city.pk)["counters"]["routed"] == 210
    detail = client.get(response["Location"]).content.decode()
    assert "Data statistik" in detail and snapshot.stats_token[:8] in detail


def test_a_changed_policy_also_refuses_the_decision(world, cities):
    tree = Tree.load()
    seen = ranking_version(tree, current_ranking_policy())
    policy = current_ranking_policy()
    policy.min_volume = 2
    policy.save()
    with pytest.raises(StaleRanking):
        record_decision(actor=world.national_admin, institution=world.other_city,
                        kind=Decision.Kind.AWARD, period=year(2025), reason="x", now=NOW,
                        seen_version=seen)  # fmt: skip
    assert not Decision.objects.exists()


@pytest.mark.parametrize("who", ["auditor", "leader", "city_admin"])
def test_only_the_national_admin_decides(world, cities, client, who):
    client.login(username=getattr(world, who).username, password=PASSWORD)
    response = client.post(
        reverse("dashboards:ranking"),
        {"institution": world.other_city.pk, "kind": "award", "reason": "x"},
    )
    assert response.status_code in (403, 404)
    assert not Decision.objects.exists()
