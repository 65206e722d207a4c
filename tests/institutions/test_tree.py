"""The institution tree: paths, subtrees, moves, time zones, the K/L/D above a unit."""

import pytest

from lapor.institutions.models import WIB, WIT, WITA, Institution
from lapor.institutions.services import save_institution
from tests.factories import World, make_institution

pytestmark = pytest.mark.django_db


def test_subtree_is_the_node_and_everything_below(world: World) -> None:
    below_city = set(Institution.objects.subtree_of(world.city))
    assert below_city == {world.city, world.department, world.unit}
    assert world.unit.is_within(world.province)
    assert not world.other_department.is_within(world.city)
    assert world.unit.depth == world.city.depth + 2


def test_time_zone_follows_the_province_unless_set(world: World) -> None:
    assert world.city.effective_timezone == WITA  # Samarinda, Kalimantan Timur
    assert world.national.effective_timezone == WIB  # no region: Jakarta
    papua = make_institution("Pemerintah Provinsi Papua Tengah", "province", world.national, "94")
    assert papua.effective_timezone == WIT
    papua.timezone = WIB
    assert papua.effective_timezone == WIB
    assert world.city.province_code == "64"


def test_top_level_is_the_nearest_kld(world: World) -> None:
    assert world.unit.top_level() == world.city
    assert world.department.top_level() == world.city
    assert world.city.top_level() == world.city
    assert world.national.top_level() is None


def test_moving_an_institution_repaths_its_subtree(world: World) -> None:
    world.department.parent = world.other_city
    save_institution(world.department)
    unit = Institution.objects.get(pk=world.unit.pk)
    assert unit.is_within(world.other_city)
    assert not unit.is_within(world.city)
    assert unit.depth == world.other_city.depth + 2


def test_an_institution_cannot_move_under_itself(world: World) -> None:
    world.city.parent = world.unit
    with pytest.raises(ValueError, match="own subtree"):
        save_institution(world.city)
    assert Institution.objects.get(pk=world.city.pk).parent == world.province
