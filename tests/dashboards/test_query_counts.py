"""Query counts pinned: a page costs the same number of queries whatever the data size."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from lapor.dashboards import queries
from lapor.dashboards.periods import Period, year
from lapor.dashboards.ranking import build_ranking, current_ranking_policy
from lapor.dashboards.tree import Tree
from tests.dashboards.builders import at, bulk_reports, known_city_set, refresh
from tests.factories import PASSWORD, make_institution

NOW = at(2026, 1, 5, 9)
EDGES = Period(date(2025, 2, 15), date(2025, 4, 10))


@pytest.fixture
def data(world):
    known_city_set(world)
    bulk_reports(world, world.other_city, 40, on_time=30, day=date(2025, 3, 10))
    refresh()
    current_ranking_policy()  # the policy row exists from its first use on
    return world


@pytest.mark.parametrize("more", [False, True])
def test_aggregate_queries(data, django_assert_num_queries, more):
    if more:  # ten times the institutions and reports: the same number of queries
        for i in range(10):
            city = make_institution(f"Kota {i}", "city", data.province, "64.74")
            bulk_reports(data, city, 20, on_time=10, day=date(2025, 3, 10))
        refresh()
    with django_assert_num_queries(2):  # institutions, summary version
        tree = Tree.load()
    city = tree.get(data.city.pk)
    with django_assert_num_queries(1):  # whole months: monthly rows only
        queries.counters_by_institution(tree, year(2025))
    with django_assert_num_queries(0):  # cached under the version
        queries.scope_counters(tree, year(2025), city)
    with django_assert_num_queries(1):  # months and edge days in one UNION ALL
        queries.counters_by_institution(tree, EDGES)
    with django_assert_num_queries(1):
        queries.durations(tree, EDGES, city, by_institution=True)
    with django_assert_num_queries(1):
        queries.breakdowns(tree, EDGES, None)
    with django_assert_num_queries(1):
        queries.overdue_by_institution(tree)
    with django_assert_num_queries(2):  # members, their moves
        queries.admin_activity(tree, [city], NOW)
    with django_assert_num_queries(1):
        queries.decree_status([city.id], NOW.date())
    with django_assert_num_queries(3):  # policy, decrees, members (overdue: cached above)
        build_ranking(tree, "kabupaten-kota", year(2025), NOW)


# Session and user (2), memberships (1), tree and version (2): 5 for any staff page. Cold:
# an empty cache (the first request after a refresh); warm: the figures come from the cache,
# what is left is read live (admin activity, decrees, plans, the policy).
PAGES = [
    ("national", None, 13, 7),
    ("institution", "city", 18, 12),
    ("province", "province", 14, 9),
    ("ranking", None, 11, 9),
    ("monthly", "city", 14, 8),
]


@pytest.mark.parametrize(("name", "place", "cold", "warm"), PAGES)
def test_page_queries(data, client, django_assert_num_queries, name, place, cold, warm):
    client.login(username=data.national_admin.username, password=PASSWORD)
    args = [getattr(data, place).pk] if place else []
    url = reverse(f"dashboards:{name}", args=args) + "?periode=2025"
    cache.clear()
    with django_assert_num_queries(cold):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(warm):
        assert client.get(url).status_code == 200


def test_public_page_queries(data, client, django_assert_num_queries):
    url = reverse("dashboards:public") + "?periode=2025"
    cache.clear()
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
