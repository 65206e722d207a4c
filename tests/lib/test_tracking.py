"""Tracking numbers: format, check symbol, forgiving parsing."""

from hypothesis import given
from hypothesis import strategies as st

from lapor.lib.tracking import ALPHABET, new_tracking_number, normalize_tracking_number


def test_format_is_year_and_three_groups() -> None:
    number = new_tracking_number(2026)
    assert len(number) == 12 and number[2] == "-" and number[7] == "-"
    assert number.startswith("26-")
    assert normalize_tracking_number(number) == number


def test_parsing_forgives_case_spaces_dashes_and_look_alikes() -> None:
    number = new_tracking_number(2026)
    compact = number.replace("-", "")
    assert normalize_tracking_number(compact.lower()) == number
    assert normalize_tracking_number(" ".join(compact)) == number
    spoken = compact.replace("0", "O").replace("1", "l")
    assert normalize_tracking_number(spoken) == number


def test_rejects_garbage() -> None:
    for text in ["", "26", "hello world", "26-ABCD-EFGH-IJ", "XX-1234-5678", "26-UUUU-UUUU"]:
        assert normalize_tracking_number(text) is None


@given(st.integers(0, 7), st.data())
def test_every_single_symbol_typo_is_caught(position: int, data: st.DataObject) -> None:
    number = new_tracking_number(2026).replace("-", "")
    index = 2 + position  # the random part (2..8) and the check symbol (9)
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != number[index]]))
    typo = number[:index] + replacement + number[index + 1 :]
    assert normalize_tracking_number(typo) is None


@given(st.integers(0, 8))
def test_adjacent_transpositions_are_caught(index: int) -> None:
    number = new_tracking_number(2026).replace("-", "")
    if number[index] == number[index + 1]:
        return
    swapped = number[:index] + number[index + 1] + number[index] + number[index + 2 :]
    assert normalize_tracking_number(swapped) is None


def test_numbers_are_unique_enough() -> None:
    numbers = {new_tracking_number(2026) for _ in range(20000)}
    assert len(numbers) == 20000
