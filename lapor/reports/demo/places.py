"""Places in East Kalimantan, reporters' names and the staff's stock phrases for demo reports."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    """A regency/city with a few kecamatan > kelurahan, streets, landmarks and a map centre."""

    code: str
    city: str  # how people name the place in a sentence
    weight: int
    districts: tuple[tuple[str, tuple[str, ...]], ...]
    streets: tuple[str, ...]
    landmarks: tuple[str, ...]
    centre: tuple[float, float]


# fmt: off
AREAS: tuple[Area, ...] = (
    Area("64.72", "Samarinda", 35, (
        ("Samarinda Ulu", ("Air Hitam", "Sidodadi", "Teluk Lerong Ilir")),
        ("Sungai Pinang", ("Temindung Permai", "Mugirejo", "Sungai Pinang Dalam")),
        ("Samarinda Utara", ("Sempaja Selatan", "Lempake", "Sempaja Timur")),
        ("Sungai Kunjang", ("Loa Bakung", "Karang Asam Ulu")),
        ("Samarinda Seberang", ("Baqa", "Mangkupalas")),
        ("Palaran", ("Rawa Makmur", "Bukuan")),
    ), ("Jl. Juanda", "Jl. M.T. Haryono", "Jl. Pramuka", "Jl. D.I. Panjaitan", "Jl. Antasari",
        "Jl. P. Suryanata", "Jl. K.H. Wahid Hasyim", "Jl. Slamet Riyadi", "Jl. Gatot Subroto",
        "Jl. Siradj Salman", "Jl. Ir. H. Juanda Gg. 8"),
       ("Pasar Segiri", "Big Mall Samarinda", "Islamic Center", "Taman Samarendah",
        "Pasar Pagi", "Citra Niaga"), (-0.502, 117.153)),
    Area("64.71", "Balikpapan", 25, (
        ("Balikpapan Kota", ("Klandasan Ilir", "Prapatan")),
        ("Balikpapan Selatan", ("Sepinggan", "Gunung Bahagia", "Damai")),
        ("Balikpapan Utara", ("Batu Ampar", "Muara Rapak", "Graha Indah")),
        ("Balikpapan Tengah", ("Gunung Sari Ilir", "Karang Rejo")),
        ("Balikpapan Timur", ("Manggar", "Lamaru")),
    ), ("Jl. Jenderal Sudirman", "Jl. M.T. Haryono", "Jl. Soekarno-Hatta", "Jl. Mulawarman",
        "Jl. Ahmad Yani", "Jl. Marsma R. Iswahyudi", "Jl. Letjen Suprapto"),
       ("Pasar Pandansari", "Pantai Kemala", "Balikpapan Superblock", "Terminal Batu Ampar",
        "Pasar Klandasan"), (-1.265, 116.831)),
    Area("64.02", "Kutai Kartanegara", 10, (
        ("Tenggarong", ("Melayu", "Timbau", "Loa Ipuh")),
        ("Tenggarong Seberang", ("Bukit Raya", "Manunggal Jaya")),
        ("Loa Janan", ("Loa Janan Ulu", "Tani Bhakti")),
    ), ("Jl. Wolter Monginsidi", "Jl. Pesut", "Jl. Poros Samarinda-Tenggarong",
        "Jl. Danau Semayang"),
       ("Pasar Tangga Arung", "Pulau Kumala", "Terminal Timbau"), (-0.416, 116.986)),
    Area("64.74", "Bontang", 6, (
        ("Bontang Utara", ("Api-Api", "Gunung Elai", "Bontang Baru")),
        ("Bontang Selatan", ("Tanjung Laut", "Berbas Pantai")),
    ), ("Jl. Ahmad Yani", "Jl. M.T. Haryono", "Jl. Brigjen Katamso"),
       ("Pasar Rawa Indah", "Bontang Kuala"), (0.133, 117.500)),
    Area("64.08", "Kutai Timur", 5, (
        ("Sangatta Utara", ("Teluk Lingga", "Singa Gembara", "Swarga Bara")),
    ), ("Jl. Yos Sudarso", "Jl. A.W. Syahranie"), ("Pasar Induk Sangatta",), (0.507, 117.553)),
    Area("64.03", "Berau", 5, (
        ("Tanjung Redeb", ("Gayam", "Bugis", "Sungai Bedungun")),
    ), ("Jl. Pemuda", "Jl. Maulana", "Jl. S.A. Maulana"), ("Pasar Sanggam",), (2.152, 117.492)),
    Area("64.01", "Paser", 4, (
        ("Tanah Grogot", ("Tanah Grogot", "Tanjung Selatan")),
    ), ("Jl. Kesuma Bangsa", "Jl. R.A. Kartini"), ("Pasar Induk Penyembolum",), (-1.911, 116.197)),
    Area("64.09", "Penajam Paser Utara", 4, (
        ("Penajam", ("Nipah-Nipah", "Penajam")),
        ("Sepaku", ("Pemaluan", "Sepaku")),
    ), ("Jl. Provinsi Km 9", "Jl. Propinsi Penajam"), ("Pelabuhan Penajam",), (-1.295, 116.708)),
    Area("64.07", "Kutai Barat", 3, (
        ("Barong Tongkok", ("Simpang Raya", "Barong Tongkok")),
        ("Melak", ("Melak Ulu", "Melak Ilir")),
    ), ("Jl. Sendawar Raya", "Jl. Gajah Mada"), ("Pasar Olah Bebaya",), (-0.232, 115.733)),
    Area("64.11", "Mahakam Ulu", 2, (
        ("Long Bagun", ("Ujoh Bilang", "Long Bagun Ulu")),
    ), ("Jl. Poros Ujoh Bilang",), ("Dermaga Ujoh Bilang",), (0.573, 115.633)),
)
# fmt: on

GUEST_NAMES: tuple[str, ...] = (
    "Ahmad Fauzi",
    "Rina Marlina",
    "Herman Syahputra",
    "Lina Kusumawati",
    "Joko Susilo",
    "Ikhsan Maulana",
    "Theresia Ningsih",
    "Abdul Rahman",
    "Wayan Sudarsana",
    "Hairil Anwar",
    "Sarifah Nur",
    "Dominikus Ajang",
    "Fransiska Lusi",
    "Rahmawati",
    "Syamsuddin",
    "Eka Saputri",
    "Hasanuddin",
    "Nining Suryani",
    "Robert Manurung",
    "Ani Suhartini",
)


@dataclass(frozen=True)
class Spot:
    """One concrete place drawn for a report."""

    area: Area
    kecamatan: str
    kelurahan: str
    street: str
    landmark: str
    rt: int
    latitude: float
    longitude: float

    @property
    def address(self) -> str:
        return f"{self.street} RT {self.rt:02d}, Kel. {self.kelurahan}, Kec. {self.kecamatan}"


def draw_spot(rng: random.Random, area: Area | None = None) -> Spot:
    if area is None:
        area = rng.choices(AREAS, weights=[a.weight for a in AREAS])[0]
    kecamatan, kelurahans = rng.choice(area.districts)
    lat, lon = area.centre
    return Spot(
        area=area,
        kecamatan=kecamatan,
        kelurahan=rng.choice(kelurahans),
        street=rng.choice(area.streets),
        landmark=rng.choice(area.landmarks),
        rt=rng.randint(1, 45),
        latitude=round(lat + rng.uniform(-0.03, 0.03), 6),
        longitude=round(lon + rng.uniform(-0.03, 0.03), 6),
    )


def area_by_code(code: str) -> Area:
    return next(a for a in AREAS if a.code == code)


def phone_number(rng: random.Random) -> str:
    return (
        f"08{rng.choice(['11', '12', '13', '21', '52', '53', '55'])}{rng.randint(10**7, 10**8 - 1)}"
    )


HOLD_QUESTIONS: tuple[str, ...] = (
    "Terima kasih atas laporan Anda. Mohon sebutkan lokasi yang lebih rinci (nama jalan, RT, "
    "atau patokan terdekat) agar dapat kami teruskan ke instansi yang berwenang.",
    "Mohon lengkapi waktu kejadian (tanggal dan jam) serta nama unit layanan yang Anda maksud.",
    "Apakah Anda dapat melampirkan foto atau bukti pendukung (kuitansi, tangkapan layar)? "
    "Tanpa bukti, laporan sulit diverifikasi.",
    "Mohon jelaskan apakah Anda sudah menyampaikan keluhan ini langsung ke unit layanan terkait "
    "dan bagaimana tanggapannya.",
)

CLARIFICATIONS: tuple[str, ...] = (
    "Lokasinya di depan gang masjid, sekitar 50 meter dari simpang, RT {rt}. Kejadiannya "
    "berulang setiap minggu.",
    "Kejadian terakhir hari Senin pagi sekitar pukul 09.00 WITA. Saya sudah bertanya ke petugas "
    "loket tetapi tidak ada jawaban yang jelas.",
    "Sudah saya sampaikan ke pihak terkait dua kali, tetapi belum ada tindak lanjut. Foto "
    "kondisi terbaru bisa saya kirimkan bila diperlukan.",
)

ADDITIONAL_INFO: tuple[str, ...] = (
    "Tambahan informasi: kondisinya makin parah setelah hujan deras kemarin.",
    "Sampai hari ini belum ada perubahan. Mohon segera ditindaklanjuti.",
    "Warga lain di RT kami mengalami hal yang sama, ada sekitar 10 keluarga.",
)

REOPEN_MESSAGES: tuple[str, ...] = (
    "Jawaban belum sesuai kenyataan. Saya cek kemarin kondisinya masih sama seperti sebelumnya.",
    "Perbaikan hanya dilakukan sebagian, masih ada bagian yang belum ditangani. Mohon dicek ulang.",
    "Petugas belum pernah datang ke lokasi. Mohon dipastikan kembali.",
)

CONFIRM_COMMENTS: tuple[str, ...] = (
    "Terima kasih, sudah ditangani dengan baik.",
    "Alhamdulillah sudah selesai, meskipun agak lama.",
    "Respons cepat, petugas ramah.",
    "Masalah selesai, semoga tidak terulang.",
    "",
)

EXTENSION_REASONS: tuple[str, ...] = (
    "Perlu pemeriksaan lapangan dan koordinasi dengan pihak sekolah serta komite.",
    "Menunggu ketersediaan anggaran pemeliharaan dan jadwal tim lapangan.",
    "Perlu klarifikasi kepada pihak ketiga (penyedia layanan) yang belum memberikan jawaban.",
    "Pemeriksaan data memerlukan verifikasi ke kantor pusat.",
)

FORWARD_NOTES: tuple[str, ...] = (
    "Mohon segera ditindaklanjuti dan dilaporkan hasilnya.",
    "Untuk ditangani sesuai tugas dan fungsi. Batas waktu mengikuti tenggat laporan.",
    "Harap cek lapangan dan sampaikan tindak lanjut melalui aplikasi.",
)

ESCALATION_NOTES: tuple[str, ...] = (
    "Batas waktu penyelesaian terlampaui tanpa jawaban akhir; pelapor menyetujui pelimpahan.",
    "Instansi tidak menyelesaikan laporan dalam tenggat; dilimpahkan ke Ombudsman RI "
    "Perwakilan Kalimantan Timur atas persetujuan pelapor.",
)
