import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.lib.redaction import (
    ANONYMOUS_LABEL,
    EMAIL_PLACEHOLDER,
    NIK_PLACEHOLDER,
    PHONE_PLACEHOLDER,
    mask_name,
    redact_personal_data,
)

NIK = NIK_PLACEHOLDER
TEL = PHONE_PLACEHOLDER
EMAIL = EMAIL_PLACEHOLDER


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # NIK, plain and grouped
        (
            "Saya Budi, NIK 6472011234560001, warga Samarinda.",
            f"Saya Budi, NIK {NIK}, warga Samarinda.",
        ),
        ("NIK: 6472 0112 3456 0001.", f"NIK: {NIK}."),
        ("KTP saya 6472.0112.3456.0001 sudah diserahkan", f"KTP saya {NIK} sudah diserahkan"),
        ("nik 6472-0112-3456-0001", f"nik {NIK}"),
        ("NIK 647201 120345 0001 atas nama ibu saya", f"NIK {NIK} atas nama ibu saya"),
        ("no KTP 64.72.01.120345.0001", f"no KTP {NIK}"),
        ("NIK:6472011234560001", f"NIK:{NIK}"),
        ("NIK6472011234560001", f"NIK{NIK}"),
        ("(6472011234560001)", f"({NIK})"),
        ("NIK 6472 0112 3456 0001 2 orang", f"NIK {NIK} 2 orang"),
        # Longer digit runs are identifiers too (NIP, card numbers) and never shown.
        ("NIP 198503102010011002 menolak melayani", f"NIP {NIK} menolak melayani"),
        # Phones
        ("Hubungi saya di +62 812-3456-7890 ya pak", f"Hubungi saya di {TEL} ya pak"),
        ("WA +6281234567890", f"WA {TEL}"),
        ("no hp 6281234567890 aktif", f"no hp {TEL} aktif"),
        ("no hp 62 812 3456 7890", f"no hp {TEL}"),
        ("telepon 0812 3456 7890 (siang)", f"telepon {TEL} (siang)"),
        ("HP: 081234567890.", f"HP: {TEL}."),
        ("hp 0812-3456-789", f"hp {TEL}"),
        ("hp 0812.3456.7890", f"hp {TEL}"),
        (
            "Kantor kelurahan (0541) 123456 tidak pernah diangkat",
            f"Kantor kelurahan {TEL} tidak pernah diangkat",
        ),
        ("telp (021)5551234", f"telp {TEL}"),
        ("Call center 021-5551234 mati", f"Call center {TEL} mati"),
        ("Telp. 0541-7654321", f"Telp. {TEL}"),
        ("Hub +62 21 5551234", f"Hub {TEL}"),
        ("Hub +62 (0)812 3456 7890", f"Hub {TEL}"),
        ("Anak saya di Malaysia +60 12-345 6789", f"Anak saya di Malaysia {TEL}"),
        (
            "Nomor 0812-3456-7890 0813-1111-2222 dua-duanya tidak aktif",
            f"Nomor {TEL} {TEL} dua-duanya tidak aktif",
        ),
        ("(2) 0812 3456 7890", f"(2) {TEL}"),
        # E-mail
        ("Kirim balasan ke budi.santoso@gmail.com.", f"Kirim balasan ke {EMAIL}."),
        ("email: siti_r+lapor@pemkot-samarinda.go.id", f"email: {EMAIL}"),
        ("<BUDI@YAHOO.CO.ID>", f"<{EMAIL}>"),
        ("mailto:warga123@mail.example.org?subject=x", f"mailto:{EMAIL}?subject=x"),
        # Several kinds in one complaint
        (
            "Saya Siti (NIK 6472011234560001, HP 0812 3456 7890, siti@contoh.id) "
            "melapor jalan rusak di RT 03 RW 05 sejak 2026-03-18.",
            f"Saya Siti (NIK {NIK}, HP {TEL}, {EMAIL}) "
            "melapor jalan rusak di RT 03 RW 05 sejak 2026-03-18.",
        ),
    ],
)
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert redact_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kejadian tanggal 2026-03-18 pukul 10.00 WITA.",
        "Surat tanggal 18/03/2026 belum dibalas.",
        "Tanggal 18-03-2026 dan 06-03-2026 10.00",
        "Saya diminta membayar Rp 1.500.000 untuk KTP.",
        "Pungutan Rp1500000 tanpa kuitansi, dan Rp. 62.812.345.678 dana desa",
        "Dana Rp 250.000,00 dan 1.081.234.567 rupiah",
        "Sejak tahun 2019 sampai 2026 tidak ada perbaikan.",
        "Tahun 2021 2022 2023 2024 selalu banjir.",
        "Ada 3 orang petugas dan 12 warga.",
        "Nomor tiket 26-7K3M-9Q2X belum ditanggapi.",
        "Kode wilayah 64.72, desa 62.71.01.1001.",
        "Alamat RT 03 RW 05, Kelurahan Sempaja.",
        "Jam layanan 08.00-16.00, istirahat 12.00 - 13.00.",
        "Nomor surat 027/123/2026 dan No. 0123/SK/2026",
        "No rekening 0123 4567 8901",
        "Perda No. 8 Tahun 2024 pasal 12 ayat 3",
        "Koordinat -0.502106, 117.153709",
        "Ikuti @pemkot_samarinda dan #LaporPak",
        "versi@1.2 bukan alamat",
        "",
    ],
)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert redact_personal_data(text) == text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Siti Rahmawati", "Siti R."),
        ("  Muhammad   rizki pratama ", "Muhammad R. P."),
        ("Budi", "Budi"),
        ("", ""),
        ("   ", ""),
        ("0812 3456 7890", ""),
        ("budi@contoh.id Santoso", "B. S."),
        ("Ni Luh Ayu", "Ni L. A."),
    ],
)
def test_mask_name(name: str, expected: str) -> None:
    assert mask_name(name) == expected


def test_anonymous_label() -> None:
    assert ANONYMOUS_LABEL == "Pelapor anonim"


@pytest.mark.parametrize(
    "hostile",
    [
        "1 2.3-4 " * 130_000,
        "0812 " * 210_000,
        "11 " * 350_000,
        "1" * 1_000_000,
        "0-" * 500_000,
        "(1" * 500_000,
        "+1 " * 350_000,
        "a.a" * 350_000 + "@",
        "a@" * 500_000,
        "x@a." + "b." * 500_000,
        "1." * 500_000,
    ],
)
def test_hostile_input_of_one_megabyte_completes(hostile: str) -> None:
    # No timing assertion: a catastrophic-backtracking regex would simply never finish.
    result = redact_personal_data(hostile)
    assert re.search(r"[0-9]{16}", result) is None


FRAGMENTS = [
    "6472011234560001",
    "6472 0112 3456 0001",
    "6472.0112.3456.0001",
    "+62 812-3456-7890",
    "0812 3456 7890",
    "(0541) 123456",
    "021-5551234",
    "budi@gmail.com",
    "Rp 1.500.000",
    "Rp",
    "2026-03-18",
    "18/03/2026",
    "26-7K3M-9Q2X",
    "RT 03 RW 05",
    NIK,
    TEL,
    EMAIL,
]
mixed_text = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(alphabet="0123456789 .-+()@ab[]Rp", max_size=30),
        st.emails(),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=400)
@given(mixed_text)
def test_redaction_is_idempotent(text: str) -> None:
    once = redact_personal_data(text)
    assert redact_personal_data(once) == once


@settings(max_examples=400)
@given(mixed_text)
def test_output_never_contains_sixteen_digits_in_a_row(text: str) -> None:
    assert re.search(r"[0-9]{16}", redact_personal_data(text)) is None


@given(
    st.text(alphabet="abcdefghij ,.", max_size=20),
    st.emails(),
    st.text(alphabet="abcdefghij ,.", max_size=20),
)
def test_email_addresses_are_removed(before: str, email: str, after: str) -> None:
    result = redact_personal_data(f"{before} {email} {after}")
    assert "@" not in result
    assert EMAIL in result


@given(st.text().filter(lambda t: "@" not in t and not re.search(r"[0-9]", t)))
def test_text_without_digits_or_at_sign_is_unchanged(text: str) -> None:
    assert redact_personal_data(text) == text


def test_a_whole_number_in_parentheses_is_masked() -> None:
    assert redact_personal_data("hubungi (081298765432) ya") == (
        "hubungi ([nomor telepon disembunyikan]) ya"
    )
    assert redact_personal_data("tahun (2026) dan (20261)") == "tahun (2026) dan (20261)"
