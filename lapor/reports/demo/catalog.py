"""What the demo organisation looks like: institutions, categories, staff and reporters.

Plain data, no database access. Names of officials are invented; e-mail addresses use the
reserved example.com domain so that a demo notification can never reach a real mailbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NATIONAL_CODE = "NASIONAL"
PROVINCE_CODE = "PROV-64"
DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented demo password, printed on purpose

# Regencies and cities of East Kalimantan (Kemendagri codes) and the short slug of their admin.
KALTIM_REGENCIES: dict[str, str] = {
    "64.01": "paser",
    "64.02": "kukar",
    "64.03": "berau",
    "64.07": "kubar",
    "64.08": "kutim",
    "64.09": "ppu",
    "64.11": "mahulu",
    "64.71": "balikpapan",
    "64.72": "samarinda",
    "64.74": "bontang",
}


def regency_code(region_code: str) -> str:
    """Institution code of a regency/city government: "KAB-64.02", "KOTA-64.72"."""
    prefix = "KOTA" if region_code.split(".")[1].startswith("7") else "KAB"
    return f"{prefix}-{region_code}"


@dataclass(frozen=True)
class TopLevel:
    code: str
    name: str
    kind: str
    admin: str  # username of its institution admin (koordinator)


MINISTRIES_AND_AGENCIES: tuple[TopLevel, ...] = (
    TopLevel(
        "KEMENDIKDASMEN",
        "Kementerian Pendidikan Dasar dan Menengah",
        "ministry",
        "admin.kemendikdasmen",
    ),
    TopLevel("KEMENKES", "Kementerian Kesehatan", "ministry", "admin.kemenkes"),
    TopLevel("KEMENPU", "Kementerian Pekerjaan Umum", "ministry", "admin.kemenpu"),
    TopLevel("BPJSKES", "BPJS Kesehatan", "agency", "admin.bpjs"),
    TopLevel("BPN", "Badan Pertanahan Nasional", "agency", "admin.bpn"),
)


@dataclass(frozen=True)
class Department:
    """An OPD (or a ministry's regional office) with its officer and one or two units."""

    code: str
    name: str
    parent: str  # institution code
    region: str | None  # Kemendagri code
    officer: str  # username of its unit officer (penghubung)
    units: tuple[str, ...] = field(default=())


# fmt: off
DEPARTMENTS: tuple[Department, ...] = (
    # Provinsi Kalimantan Timur
    Department("64-DISDIKBUD", "Dinas Pendidikan dan Kebudayaan Provinsi Kalimantan Timur",
               PROVINCE_CODE, "64", "petugas.disdikbud.kaltim",
               ("Bidang Pembinaan SMA", "Bidang Pembinaan SMK")),
    Department("64-DINKES", "Dinas Kesehatan Provinsi Kalimantan Timur", PROVINCE_CODE, "64",
               "petugas.dinkes.kaltim", ("Bidang Pelayanan Kesehatan",)),
    Department("64-PUPR", "Dinas Pekerjaan Umum, Penataan Ruang dan Perumahan Rakyat Provinsi "
               "Kalimantan Timur", PROVINCE_CODE, "64", "petugas.pupr.kaltim",
               ("Bidang Bina Marga",)),
    Department("64-RSUD-AWS", "RSUD Abdul Wahab Sjahranie", PROVINCE_CODE, "64.72",
               "petugas.rsud.aws", ("Instalasi Gawat Darurat", "Instalasi Rawat Jalan")),
    # Kota Samarinda
    Department("6472-DISDIK", "Dinas Pendidikan Kota Samarinda", "KOTA-64.72", "64.72",
               "petugas.disdik", ("Bidang Pembinaan SD", "Bidang Pembinaan SMP")),
    Department("6472-DINKES", "Dinas Kesehatan Kota Samarinda", "KOTA-64.72", "64.72",
               "petugas.dinkes.samarinda", ("Puskesmas Sempaja", "Puskesmas Temindung")),
    Department("6472-PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang Kota Samarinda",
               "KOTA-64.72", "64.72", "petugas.pupr.samarinda",
               ("Bidang Bina Marga", "Bidang Sumber Daya Air")),
    Department("6472-DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil Kota Samarinda",
               "KOTA-64.72", "64.72", "petugas.dukcapil.samarinda",
               ("Bidang Pelayanan Pendaftaran Penduduk",)),
    Department("6472-DISHUB", "Dinas Perhubungan Kota Samarinda", "KOTA-64.72", "64.72",
               "petugas.dishub.samarinda", ("UPTD Parkir", "Bidang Penerangan Jalan Umum")),
    Department("6472-DLH", "Dinas Lingkungan Hidup Kota Samarinda", "KOTA-64.72", "64.72",
               "petugas.dlh.samarinda", ("Bidang Pengelolaan Sampah",)),
    Department("6472-DINSOS", "Dinas Sosial Kota Samarinda", "KOTA-64.72", "64.72",
               "petugas.dinsos.samarinda", ("Bidang Perlindungan dan Jaminan Sosial",)),
    Department("6472-DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota "
               "Samarinda", "KOTA-64.72", "64.72", "petugas.dpmptsp.samarinda",
               ("Bidang Pelayanan Perizinan",)),
    # Kota Balikpapan
    Department("6471-DINKES", "Dinas Kesehatan Kota Balikpapan", "KOTA-64.71", "64.71",
               "petugas.dinkes.balikpapan", ("Puskesmas Klandasan Ilir", "Puskesmas Sepinggan")),
    Department("6471-DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil Kota Balikpapan",
               "KOTA-64.71", "64.71", "petugas.dukcapil.balikpapan",
               ("Bidang Pelayanan Pencatatan Sipil",)),
    Department("6471-DISHUB", "Dinas Perhubungan Kota Balikpapan", "KOTA-64.71", "64.71",
               "petugas.dishub.balikpapan", ("UPTD Parkir",)),
    Department("6471-DPU", "Dinas Pekerjaan Umum Kota Balikpapan", "KOTA-64.71", "64.71",
               "petugas.dpu.balikpapan", ("Bidang Bina Marga",)),
    Department("6471-RSUD", "RSUD Beriman Balikpapan", "KOTA-64.71", "64.71",
               "petugas.rsud.balikpapan", ("Instalasi Rawat Inap",)),
    # Kabupaten Kutai Kartanegara, Kota Bontang
    Department("6402-DISDIKBUD", "Dinas Pendidikan dan Kebudayaan Kabupaten Kutai Kartanegara",
               "KAB-64.02", "64.02", "petugas.disdik.kukar", ("Bidang Pembinaan SD",)),
    Department("6402-PU", "Dinas Pekerjaan Umum Kabupaten Kutai Kartanegara", "KAB-64.02",
               "64.02", "petugas.pu.kukar", ("UPT Jalan dan Jembatan",)),
    Department("6474-DLH", "Dinas Lingkungan Hidup Kota Bontang", "KOTA-64.74", "64.74",
               "petugas.dlh.bontang", ("Bidang Persampahan",)),
    # Regional offices of the ministries and agencies
    Department("KEMENPU-BM", "Direktorat Jenderal Bina Marga", "KEMENPU", None,
               "petugas.binamarga", ("Balai Besar Pelaksanaan Jalan Nasional Kalimantan Timur",)),
    Department("KEMENDIKDASMEN-GTK", "Direktorat Jenderal Guru, Tenaga Kependidikan, dan "
               "Pendidikan Guru", "KEMENDIKDASMEN", None, "petugas.gtk",
               ("Direktorat Pendidikan Profesi Guru",)),
    Department("KEMENKES-P2P", "Direktorat Jenderal Penanggulangan Penyakit", "KEMENKES", None,
               "petugas.kemenkes", ("Tim Kerja Cek Kesehatan Gratis",)),
    Department("BPJSKES-SMD", "BPJS Kesehatan Kantor Cabang Samarinda", "BPJSKES", "64.72",
               "petugas.bpjs.samarinda", ("Bagian Pelayanan Peserta",)),
    Department("BPJSKES-BPP", "BPJS Kesehatan Kantor Cabang Balikpapan", "BPJSKES", "64.71",
               "petugas.bpjs.balikpapan", ("Bagian Pelayanan Peserta",)),
    Department("BPN-KALTIM", "Kantor Wilayah BPN Provinsi Kalimantan Timur", "BPN", "64",
               "petugas.bpn.kaltim",
               ("Kantor Pertanahan Kota Samarinda", "Kantor Pertanahan Kota Balikpapan")),
)
# fmt: on

# Category tree: root code and name, then (code, name) of its children.
# fmt: off
CATEGORIES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("PEND", "Pendidikan", (
        ("PEND-PUNGLI", "Pungutan liar sekolah"),
        ("PEND-SPMB", "Penerimaan murid baru (SPMB)"),
        ("PEND-SARPRAS", "Sarana dan prasarana sekolah"),
        ("PEND-GURU", "Tunjangan dan kesejahteraan guru"),
    )),
    ("KES", "Kesehatan", (
        ("KES-BPJS", "Layanan BPJS Kesehatan"),
        ("KES-PUSKESMAS", "Pelayanan puskesmas"),
        ("KES-RS", "Pelayanan rumah sakit"),
        ("KES-PROGRAM", "Program kesehatan nasional"),
    )),
    ("INFRA", "Infrastruktur", (
        ("INFRA-JALAN", "Jalan rusak"),
        ("INFRA-PJU", "Lampu penerangan jalan umum"),
        ("INFRA-DRAINASE", "Drainase dan banjir"),
    )),
    ("ADMINDUK", "Administrasi kependudukan", (
        ("ADMINDUK-KTP", "KTP-el"),
        ("ADMINDUK-KK", "Kartu Keluarga dan pindah domisili"),
        ("ADMINDUK-AKTA", "Akta kelahiran dan kematian"),
    )),
    ("HUB", "Perhubungan", (
        ("HUB-PARKIR", "Parkir liar"),
        ("HUB-ANGKUTAN", "Angkutan umum"),
    )),
    ("LING", "Lingkungan", (
        ("LING-SAMPAH", "Sampah"),
        ("LING-RTH", "Taman dan ruang terbuka hijau"),
        ("LING-CEMAR", "Pencemaran"),
    )),
    ("IZIN", "Perizinan", (
        ("IZIN-USAHA", "Izin usaha dan PBG"),
        ("IZIN-TANAH", "Sertifikat tanah"),
    )),
    ("BANSOS", "Bantuan sosial", (
        ("BANSOS-PKH", "Program Keluarga Harapan (PKH)"),
        ("BANSOS-SEMBAKO", "Bantuan sembako / BPNT"),
    )),
)
# fmt: on


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    role: str | None = None  # Role value; None for a reporter
    institution: str | None = None  # institution code of the membership
    nik: str = ""
    phone: str = ""
    superuser: bool = False


# The logins printed at the end, in this order.
KEY_PEOPLE: tuple[Person, ...] = (
    Person("admin.nasional", "Rahmat Hidayat", "national_admin", NATIONAL_CODE, superuser=True),
    Person("admin.kaltim", "Nurul Aini", "institution_admin", PROVINCE_CODE),
    Person("admin.samarinda", "Fajar Ramadhan", "institution_admin", "KOTA-64.72"),
    Person("petugas.disdik", "Dewi Kartika Sari", "unit_officer", "6472-DISDIK"),
    Person("pimpinan.kaltim", "Hendra Gunawan", "leadership", PROVINCE_CODE),
    Person("auditor.ombudsman", "Maria Ulfa Siregar", "auditor", NATIONAL_CODE),
    Person("warga", "Budi Santoso", nik="6472031205880003", phone="081253470118"),
)

OTHER_REPORTERS: tuple[Person, ...] = (
    Person("siti.rahmawati", "Siti Rahmawati", nik="6472054708920002", phone="085246781203"),
    Person("andi.pratama", "Andi Pratama", nik="6471020903950005", phone="081350962274"),
    Person("yohanes.lawing", "Yohanes Lawing", nik="6407011411870001", phone="082154338906"),
    Person("nur.aisyah", "Nur Aisyah", nik="6402076102990004", phone="081351127745"),
    Person("agus.setiawan", "Agus Setiawan", nik="6474012306840006", phone="085250614482"),
)

# Names for the staff accounts that are generated from the catalog (admins and officers).
STAFF_NAMES: tuple[str, ...] = (
    "Ahmad Syarifuddin",
    "Rina Wulandari",
    "Muhammad Iqbal",
    "Lestari Handayani",
    "Yusuf Kurniawan",
    "Fitri Ramadhani",
    "Bambang Sutrisno",
    "Ratna Sari Dewi",
    "Dedi Supriyadi",
    "Indah Permatasari",
    "Hairul Anwar",
    "Novita Anggraini",
    "Samsul Bahri",
    "Wahyuni Puspitasari",
    "Rudi Hartono",
    "Mega Silvia",
    "Irwan Setiadi",
    "Yuliana Bura",
    "Taufik Hidayat",
    "Sri Mulyani Putri",
    "Arief Budiman",
    "Ervina Damayanti",
    "Syahrul Ramadhan",
    "Tri Wahyudi",
    "Elisabeth Hurang",
    "Gusti Ayu Lestari",
    "Darmawan Saputra",
    "Herlina Tandi",
    "Zainal Abidin",
    "Kurniasih",
    "Roni Simanjuntak",
    "Ika Nurhayati",
    "Imam Santoso",
    "Puspa Melati",
    "Rizal Fahmi",
    "Anita Rahayu",
    "Markus Ding",
    "Sabariah",
)


def staff_roster() -> list[Person]:
    """Every generated staff account: an admin per K/L/D and an officer per department."""
    people: list[Person] = []
    names = iter(STAFF_NAMES * 2)
    key = {p.username for p in KEY_PEOPLE}
    for top in MINISTRIES_AND_AGENCIES:
        people.append(Person(top.admin, next(names), "institution_admin", top.code))
    for region_code, slug in KALTIM_REGENCIES.items():
        if f"admin.{slug}" not in key:
            people.append(
                Person(f"admin.{slug}", next(names), "institution_admin", regency_code(region_code))
            )
    for department in DEPARTMENTS:
        if department.officer not in key:
            people.append(Person(department.officer, next(names), "unit_officer", department.code))
    people.append(Person("pimpinan.samarinda", next(names), "leadership", "KOTA-64.72"))
    return people


def email_for(username: str) -> str:
    return f"{username}@example.com"
