"""Report templates: what citizens of East Kalimantan complain about, suggest and ask.

Each topic knows its category, its type, which service handles it (resolved to an institution
per regency in `SERVICE_TARGETS`), and what the staff typically write back. Texts use
placeholders filled from a drawn place: {street} {kelurahan} {kecamatan} {city} {rt}
{landmark} {school} {sma} {puskesmas} {hospital} {amount} {n} {weeks} {months} {days} {km}.
"""

from __future__ import annotations

from dataclasses import dataclass

from lapor.reports.models import ReportType, ResolutionClass

COMP, ASP, INFO = ReportType.COMPLAINT, ReportType.ASPIRATION, ReportType.INFORMATION
STD, INV = ResolutionClass.STANDARD, ResolutionClass.INVESTIGATION


@dataclass(frozen=True)
class Topic:
    key: str
    category: str
    report_type: str
    service: str
    titles: tuple[str, ...]
    bodies: tuple[str, ...]
    follow_ups: tuple[str, ...]
    answers: tuple[str, ...]
    weight: int = 3
    classes: tuple[str, ...] = (STD,)
    # Where a hasty verifier sends it by mistake ("city" = the place's regency/city
    # government, or an institution code) and why that institution hands it back.
    wrong: str = ""
    decline_reason: str = ""
    areas: tuple[str, ...] = ()  # restrict to these regency codes


# Service -> regency code (or "*") -> institution code. Missing: the regency/city government.
SERVICE_TARGETS: dict[str, dict[str, str]] = {
    "disdik": {"64.72": "6472-DISDIK", "64.02": "6402-DISDIKBUD"},
    "disdik_sma": {"*": "64-DISDIKBUD"},
    "dinkes": {"64.72": "6472-DINKES", "64.71": "6471-DINKES"},
    "pupr": {"64.72": "6472-PUPR", "64.71": "6471-DPU", "64.02": "6402-PU"},
    "pupr_prov": {"*": "64-PUPR"},
    "dukcapil": {"64.72": "6472-DUKCAPIL", "64.71": "6471-DUKCAPIL"},
    "dishub": {"64.72": "6472-DISHUB", "64.71": "6471-DISHUB"},
    "dlh": {"64.72": "6472-DLH", "64.74": "6474-DLH"},
    "dinsos": {"64.72": "6472-DINSOS"},
    "perizinan": {"64.72": "6472-DPMPTSP"},
    "rsud": {"64.72": "64-RSUD-AWS", "64.71": "6471-RSUD"},
    "bpjs": {"64.71": "BPJSKES-BPP", "*": "BPJSKES-SMD"},
    "bpn": {"*": "BPN-KALTIM"},
    "jalan_nasional": {"*": "KEMENPU-BM"},
    "guru": {"*": "KEMENDIKDASMEN-GTK"},
    "ckg": {"*": "KEMENKES-P2P"},
}

_CITY_WORK = "Laporan telah kami terima dan diteruskan kepada tim teknis untuk pengecekan lapangan."

# fmt: off
TOPICS: tuple[Topic, ...] = (
    Topic("pungli_sd", "PEND-PUNGLI", COMP, "disdik",
          ("Pungutan uang seragam dan LKS di {school}",
           "Pungli uang perpisahan kelas 6 di {school}"),
          ("Saya wali murid di {school}, Kel. {kelurahan}, Kec. {kecamatan}. Sejak awal tahun "
           "ajaran sekolah meminta setiap orang tua membayar Rp{amount} untuk seragam, buku LKS, "
           "dan uang pembangunan, tanpa kuitansi resmi. Anak yang belum membayar ditegur di depan "
           "kelas. Setahu saya sekolah negeri sudah menerima dana BOS. Mohon ditindaklanjuti.",
           "Komite {school} menarik iuran Rp{amount} per siswa untuk acara perpisahan dan "
           "menyatakan wajib. Orang tua yang keberatan diminta membuat surat pernyataan tidak "
           "mampu. Mohon kejelasan apakah pungutan ini dibenarkan."),
          ("Tim Bidang Pembinaan SD telah memanggil kepala sekolah dan komite untuk klarifikasi.",
           "Pengawas sekolah sudah turun ke {school} dan meminta seluruh bukti penarikan dana."),
          ("Hasil pemeriksaan: pungutan tidak memiliki dasar. Kepala sekolah telah diberi teguran "
           "tertulis dan dana yang sudah ditarik dikembalikan kepada orang tua melalui wali kelas.",
           "Pungutan dihentikan. Sekolah hanya boleh menerima sumbangan sukarela yang tidak "
           "ditentukan jumlah dan waktunya, sesuai Permendikbud 75/2016."),
          weight=5, classes=(STD, INV)),
    Topic("pungli_sma", "PEND-PUNGLI", COMP, "disdik_sma",
          ("Sumbangan komite wajib Rp{amount} di {sma}",),
          ("Anak saya bersekolah di {sma}. Setiap bulan orang tua diwajibkan membayar sumbangan "
           "komite Rp{amount}, dan rapor ditahan bila belum lunas. Mohon ditinjau karena banyak "
           "orang tua di Kel. {kelurahan} yang keberatan.",),
          ("Cabang Dinas Pendidikan wilayah {city} telah meminta keterangan kepala sekolah.",),
          ("Rapor tidak boleh ditahan. Sekolah telah diperintahkan menyerahkan rapor seluruh "
           "siswa dan meninjau ulang keputusan komite agar sumbangan bersifat sukarela.",),
          weight=2, wrong="city",
          decline_reason="Pengelolaan SMA/SMK merupakan kewenangan pemerintah provinsi "
                         "(UU 23/2014), bukan pemerintah kabupaten/kota."),
    Topic("spmb", "PEND-SPMB", COMP, "disdik",
          ("Hasil SPMB jalur domisili di {school} tidak transparan",),
          ("Anak kami tinggal sekitar 300 meter dari {school} di {street}, tetapi tidak diterima "
           "melalui jalur domisili, sedangkan calon murid yang rumahnya lebih jauh diterima. "
           "Pengumuman tidak mencantumkan jarak. Mohon penjelasan dan pemeriksaan.",),
          ("Panitia SPMB sedang memeriksa ulang data jarak domisili pendaftar.",),
          ("Setelah verifikasi ulang, terdapat kesalahan titik koordinat pada dua pendaftar. "
           "Anak Bapak/Ibu diterima pada daftar ulang tahap kedua.",),
          weight=2),
    Topic("bpjs", "KES-BPJS", COMP, "bpjs",
          ("Antrean layanan BPJS di {hospital} sampai {n} jam",
           "Peserta BPJS diminta membeli obat sendiri di {hospital}",
           "Kartu BPJS PBI keluarga kami tiba-tiba nonaktif"),
          ("Kami peserta JKN. Di {hospital} antrean pendaftaran pasien BPJS dibuka pukul 07.00 "
           "tetapi loket baru dilayani pukul 09.30; total menunggu sampai {n} jam, termasuk ibu "
           "hamil dan lansia. Mohon perbaikan sistem antrean.",
           "Ibu saya dirawat di {hospital} dengan BPJS kelas 3. Keluarga diminta membeli obat "
           "sendiri di apotek luar seharga Rp{amount} karena katanya obat tidak ditanggung.",
           "Kartu KIS PBI keluarga kami di Kel. {kelurahan} nonaktif saat berobat ke puskesmas, "
           "padahal tidak ada pemberitahuan. Kami keluarga tidak mampu dan terdaftar di DTKS."),
          ("Petugas BPJS Kesehatan telah berkoordinasi dengan manajemen rumah sakit terkait "
           "keluhan.",
           "Status kepesertaan sedang kami cek bersama Dinas Sosial."),
          ("Rumah sakit menambah dua loket dan antrean daring Mobile JKN. Biaya obat yang sudah "
           "dibeli dapat diajukan penggantian melalui bagian pelayanan peserta.",
           "Kepesertaan telah diaktifkan kembali per hari ini melalui reaktivasi PBI. Silakan "
           "berobat seperti biasa."),
          weight=4, wrong="city",
          decline_reason="Layanan dan kepesertaan JKN merupakan kewenangan BPJS Kesehatan."),
    Topic("puskesmas", "KES-PUSKESMAS", COMP, "dinkes",
          ("{puskesmas} tutup sebelum jam layanan", "Tidak ada dokter jaga di {puskesmas}"),
          ("Hari ini pukul 12.30 saya datang ke {puskesmas} di Kec. {kecamatan}, tetapi loket "
           "sudah tutup padahal jadwal layanan sampai 14.00. Ini sudah terjadi beberapa kali.",
           "Anak saya demam tinggi dan dibawa ke {puskesmas}, namun hanya ada perawat dan kami "
           "diminta kembali besok karena dokter sedang dinas luar."),
          ("Kepala puskesmas telah dipanggil untuk klarifikasi jadwal pelayanan.",),
          ("Jadwal jaga sudah diperbaiki dan dipasang di loket. Petugas yang menutup loket lebih "
           "awal telah diberi pembinaan.",),
          weight=3),
    Topic("jalan", "INFRA-JALAN", COMP, "pupr",
          ("Jalan berlubang di {street}, Kel. {kelurahan}",
           "Jalan rusak parah dan tergenang di {street}"),
          ("Jalan di {street} dekat {landmark} berlubang cukup dalam di beberapa titik sepanjang "
           "kurang lebih {n}0 meter. Sudah ada pengendara motor yang jatuh, terutama malam hari "
           "karena penerangan kurang. Mohon segera diperbaiki.",
           "Sejak {months} bulan terakhir aspal di {street} RT {rt} mengelupas dan tergenang air "
           "setiap hujan. Anak sekolah terpaksa lewat di pinggir parit."),
          (_CITY_WORK, "Lokasi sudah disurvei dan masuk jadwal tambal sulam minggu depan."),
          ("Perbaikan tambal sulam di {street} telah selesai dikerjakan. Foto sebelum dan "
           "sesudah terlampir di sistem.",
           "Ruas jalan telah diperbaiki dan saluran di sisi jalan dibersihkan agar air tidak "
           "menggenang."),
          weight=6, classes=(STD, INV), wrong="64-PUPR",
          decline_reason="Ruas jalan ini berstatus jalan kota/kabupaten, bukan jalan provinsi."),
    Topic("jalan_nasional", "INFRA-JALAN", COMP, "jalan_nasional",
          ("Jalan nasional Balikpapan-Samarinda Km {km} berlubang",),
          ("Di jalan poros Balikpapan-Samarinda sekitar Km {km} banyak lubang besar dan "
           "bergelombang. Truk dan bus sering mengerem mendadak sehingga rawan kecelakaan, "
           "terutama saat hujan.",),
          ("BBPJN Kalimantan Timur telah menjadwalkan penanganan preservasi ruas tersebut.",),
          ("Penambalan lubang dan perataan ruas Km {km} telah dilaksanakan oleh BBPJN Kaltim.",),
          weight=2, classes=(INV,), areas=("64.71", "64.02"), wrong="city",
          decline_reason="Ruas Balikpapan-Samarinda adalah jalan nasional, kewenangan "
                         "Kementerian Pekerjaan Umum (BBPJN Kaltim)."),
    Topic("lampu", "INFRA-PJU", COMP, "dishub",
          ("Lampu jalan mati di {street} sudah {weeks} minggu",),
          ("Sebanyak {n} lampu penerangan jalan umum di {street}, Kel. {kelurahan}, mati sejak "
           "{weeks} minggu lalu. Malam hari sangat gelap dan sudah terjadi penjambretan.",),
          ("Tim PJU sudah mengecek lokasi; penggantian lampu menunggu material.",),
          ("Lampu PJU di {street} telah diganti dengan lampu LED dan sudah menyala kembali.",),
          weight=3),
    Topic("drainase", "INFRA-DRAINASE", COMP, "pupr",
          ("Drainase tersumbat, {street} banjir setiap hujan",),
          ("Parit di {street} RT {rt} tersumbat sampah dan sedimen. Setiap hujan lebih dari satu "
           "jam air masuk ke rumah warga setinggi 30 cm. Mohon normalisasi saluran.",),
          ("Bidang Sumber Daya Air telah menurunkan tim untuk pembersihan saluran.",),
          ("Normalisasi drainase sepanjang {n}0 meter di {street} telah selesai dikerjakan.",),
          weight=3, classes=(STD, INV)),
    Topic("ktp", "ADMINDUK-KTP", COMP, "dukcapil",
          ("KTP-el belum jadi setelah {months} bulan",
           "Blangko KTP-el habis di Kecamatan {kecamatan}"),
          ("Saya merekam KTP-el di Kecamatan {kecamatan} {months} bulan lalu dan hanya diberi "
           "surat keterangan. Setiap kali ditanyakan jawabannya blangko habis. Saya perlu KTP-el "
           "untuk melamar pekerjaan.",
           "Di kantor Kecamatan {kecamatan} warga diminta kembali bulan depan karena blangko "
           "KTP-el habis, tetapi ada yang bisa jadi cepat bila membayar Rp{amount}."),
          ("Data perekaman sudah kami cek; status siap cetak.",),
          ("KTP-el Bapak/Ibu sudah dicetak dan dapat diambil di kantor Disdukcapil dengan membawa "
           "surat keterangan. Dugaan pungutan telah diteruskan ke Inspektorat.",),
          weight=4),
    Topic("kk", "ADMINDUK-KK", COMP, "dukcapil",
          ("Perubahan Kartu Keluarga tidak kunjung selesai",),
          ("Saya mengajukan perubahan KK karena kelahiran anak {weeks} minggu lalu di Mal "
           "Pelayanan Publik {city}. Sampai sekarang status masih diproses tanpa kejelasan.",),
          ("Berkas sudah kami temukan dan sedang diverifikasi operator.",),
          ("KK baru sudah terbit dan dikirim dalam bentuk PDF ke alamat surel pemohon.",),
          weight=2),
    Topic("parkir", "HUB-PARKIR", COMP, "dishub",
          ("Parkir liar di depan {landmark}", "Juru parkir minta tarif Rp{amount} di {street}"),
          ("Setiap sore kendaraan parkir dua lapis di depan {landmark} sehingga {street} macet "
           "total. Juru parkir tidak memakai rompi resmi dan tidak memberi karcis.",
           "Juru parkir di {street} meminta Rp{amount} untuk motor, jauh di atas tarif perda, "
           "dan marah bila diminta karcis."),
          ("UPTD Parkir bersama Satpol PP telah melakukan penertiban di lokasi.",),
          ("Penertiban dilakukan, rambu larangan parkir dipasang, dan juru parkir liar dibina. "
           "Patroli rutin dijadwalkan dua kali seminggu.",),
          weight=4),
    Topic("sampah", "LING-SAMPAH", COMP, "dlh",
          ("Sampah menumpuk di TPS {street}",
           "Sampah tidak diangkut {days} hari di Kel. {kelurahan}"),
          ("TPS di {street} dekat {landmark} penuh dan sampah meluber ke badan jalan. Sudah "
           "{days} hari tidak diangkut sehingga bau dan banyak lalat.",
           "Truk sampah tidak datang ke RT {rt} Kel. {kelurahan} selama {days} hari. Warga "
           "terpaksa membakar sampah."),
          ("Armada pengangkut sudah dikirim; jadwal rute sedang disesuaikan.",),
          ("Sampah telah diangkut seluruhnya dan jadwal pengangkutan di lokasi ditambah menjadi "
           "setiap hari.",),
          weight=4),
    Topic("izin", "IZIN-USAHA", COMP, "perizinan",
          ("Pengurusan PBG lambat lebih dari {weeks} minggu", "Izin usaha (NIB) tidak diproses"),
          ("Permohonan Persetujuan Bangunan Gedung untuk rumah toko kami sudah lengkap sejak "
           "{weeks} minggu lalu, tetapi status di SIMBG tidak berubah dan petugas sulit dihubungi.",
           "Pendaftaran NIB usaha katering kami ditolak sistem OSS tanpa alasan jelas dan "
           "petugas di loket tidak bisa membantu."),
          ("Berkas permohonan sedang diperiksa tim teknis.",),
          ("Permohonan telah diverifikasi; PBG terbit dan dapat diunduh pada SIMBG.",),
          weight=3),
    Topic("sertifikat", "IZIN-TANAH", COMP, "bpn",
          ("Sertifikat tanah PTSL belum terbit",),
          ("Tanah kami di Kel. {kelurahan} diukur dalam program PTSL {months} bulan lalu, "
           "tetapi sertifikat belum terbit, sedangkan tetangga sudah menerima.",),
          ("Kantor Pertanahan sedang memeriksa data yuridis bidang tanah tersebut.",),
          ("Sertifikat telah terbit dan dapat diambil di kantor kelurahan pada jadwal "
           "penyerahan.",),
          weight=2, classes=(INV,), wrong="city",
          decline_reason="Pendaftaran tanah dan penerbitan sertifikat merupakan kewenangan "
                         "Kantor Pertanahan (BPN)."),
    Topic("bansos", "BANSOS-PKH", COMP, "dinsos",
          ("Bansos tidak tepat sasaran di RT {rt} Kel. {kelurahan}",
           "Nama kami hilang dari daftar penerima PKH"),
          ("Di RT {rt} Kel. {kelurahan}, beberapa keluarga mampu (punya mobil dan ruko) menerima "
           "bantuan sembako, sedangkan janda lansia dan keluarga buruh harian tidak terdaftar.",
           "Sejak triwulan ini keluarga kami tidak lagi menerima PKH tanpa pemberitahuan, padahal "
           "kondisi ekonomi tidak berubah."),
          ("Pendamping sosial sedang melakukan verifikasi lapangan.",),
          ("Data telah diusulkan untuk pemutakhiran DTSEN; dua penerima yang tidak layak "
           "dikeluarkan dan keluarga yang berhak diusulkan menjadi penerima.",),
          weight=3, classes=(STD, INV)),
    Topic("rsud", "KES-RS", COMP, "rsud",
          ("Pasien IGD {hospital} menunggu berjam-jam",),
          ("Ayah saya dibawa ke IGD {hospital} dengan sesak napas. Kami menunggu {n} jam di "
           "lorong tanpa tempat tidur dan tanpa penjelasan dari petugas.",),
          ("Manajemen rumah sakit telah meminta keterangan petugas IGD yang bertugas.",),
          ("Rumah sakit menambah tempat tidur observasi IGD dan menugaskan petugas informasi "
           "pasien. Kami mohon maaf atas ketidaknyamanan yang terjadi.",),
          weight=2),
    Topic("guru", "PEND-GURU", COMP, "guru",
          ("Tunjangan profesi guru triwulan {q} belum cair",),
          ("Saya guru bersertifikat di {school}. Tunjangan profesi triwulan {q} belum cair, "
           "sedangkan di Info GTK status sudah layak bayar sejak {weeks} minggu lalu.",),
          ("Data Info GTK sedang dicocokkan dengan data penyaluran.",),
          ("Penyaluran tertunda karena perbaikan data rekening; sudah dicairkan minggu ini.",),
          weight=1),
    Topic("usul_lampu", "INFRA-PJU", ASP, "dishub",
          ("Usulan penambahan lampu jalan di {street}",),
          ("Kami mengusulkan pemasangan lampu penerangan jalan di {street} dekat {landmark}. "
           "Jalan ini ramai dilalui pelajar dan pekerja pulang malam.",),
          ("Usulan dicatat dalam daftar prioritas pemasangan PJU tahun anggaran berikutnya.",),
          ("Terima kasih atas usulannya. Lokasi masuk rencana pemasangan PJU tahun depan.",),
          weight=2, classes=(ResolutionClass.SHORT,)),
    Topic("usul_angkutan", "HUB-ANGKUTAN", ASP, "dishub",
          ("Usulan rute bus sekolah ke Kel. {kelurahan}",),
          ("Banyak pelajar dari Kel. {kelurahan} harus berjalan jauh ke halte. Kami mengusulkan "
           "trayek bus sekolah gratis melewati {street} pada pagi dan siang hari.",),
          ("Usulan sedang dikaji bersama operator angkutan.",),
          ("Usulan diterima; survei kebutuhan trayek dijadwalkan bulan depan.",),
          weight=1, classes=(ResolutionClass.SHORT,)),
    Topic("usul_taman", "LING-RTH", ASP, "dlh",
          ("Usulan taman bermain anak di Kel. {kelurahan}",),
          ("Lahan kosong milik pemerintah di {street} tidak terawat. Kami mengusulkan agar "
           "dijadikan taman bermain ramah anak dan ruang terbuka hijau.",),
          ("Usulan diteruskan ke bidang pertamanan untuk dikaji.",),
          ("Terima kasih. Lahan tersebut akan ditata sebagai RTH secara bertahap.",),
          weight=1, classes=(ResolutionClass.SHORT,)),
    Topic("info_spmb", "PEND-SPMB", INFO, "disdik",
          ("Jadwal dan syarat SPMB SD/SMP {city}",),
          ("Mohon informasi jadwal pendaftaran SPMB SD dan SMP negeri di {city} tahun ini, "
           "syarat dokumennya, dan apakah Kartu Keluarga harus berumur minimal satu tahun.",),
          ("Permintaan informasi sedang disiapkan oleh bidang terkait.",),
          ("Jadwal SPMB: pendaftaran Juni, pengumuman awal Juli. Syarat: KK (minimal satu tahun), "
           "akta kelahiran, dan rapor. Petunjuk teknis lengkap ada di laman dinas.",),
          weight=2, classes=(ResolutionClass.SHORT,)),
    Topic("info_pindah", "ADMINDUK-KK", INFO, "dukcapil",
          ("Syarat pindah domisili ke {city}",),
          ("Saya akan pindah dari Jawa Timur ke {city}. Dokumen apa saja yang diperlukan dan "
           "apakah bisa diurus secara daring?",),
          ("Informasi sedang disiapkan.",),
          ("Cukup membawa SKPWNI dari daerah asal (dapat diurus daring) dan KK lama; KK dan "
           "KTP-el baru terbit di {city} dalam 1 hari kerja.",),
          weight=1, classes=(ResolutionClass.SHORT,)),
    Topic("info_ckg", "KES-PROGRAM", INFO, "ckg",
          ("Cara mendaftar Cek Kesehatan Gratis",),
          ("Bagaimana cara mendaftar program Cek Kesehatan Gratis untuk orang tua saya yang "
           "berusia 65 tahun, dan di puskesmas mana di {city} layanan ini tersedia?",),
          ("Permintaan informasi diteruskan ke tim kerja program.",),
          ("Pendaftaran melalui aplikasi SATUSEHAT Mobile atau langsung di puskesmas terdekat; "
           "seluruh puskesmas di {city} melayani pemeriksaan.",),
          weight=1, classes=(ResolutionClass.SHORT,)),
)
# fmt: on


@dataclass(frozen=True)
class Junk:
    """Reports that are archived at verification, with the reason an admin would pick."""

    reason: str
    title: str
    body: str


JUNK: tuple[Junk, ...] = (
    Junk(
        "spam",
        "Pinjaman online cepat cair tanpa jaminan",
        "Butuh dana cepat? Pinjaman Rp5-50 juta cair 1 jam tanpa BI checking. Hubungi admin "
        "kami sekarang juga, bunga rendah!",
    ),
    Junk(
        "spam",
        "Promo pulsa murah hari ini",
        "Dapatkan pulsa dan paket data murah, kirim SMS ke nomor ini untuk daftar reseller.",
    ),
    Junk(
        "unintelligible",
        "tolong pak",
        "tolong pak yg kemarin itu gmn ya kok blm ada kabar sy sdh tunggu lama bgt",
    ),
    Junk(
        "too_general",
        "Pelayanan publik di Kaltim buruk",
        "Semua pelayanan di kantor pemerintah lambat dan petugasnya tidak ramah. Tolong "
        "diperbaiki semuanya.",
    ),
    Junk(
        "out_of_scope",
        "Sengketa warisan dengan saudara",
        "Saudara kandung saya menguasai rumah peninggalan orang tua dan tidak mau membagi "
        "warisan. Mohon bantuan agar rumah itu dibagi.",
    ),
    Junk(
        "out_of_scope",
        "Tetangga memutar musik keras tiap malam",
        "Tetangga saya setiap malam memutar musik keras sampai jam 2 pagi. Sudah ditegur tapi "
        "tidak berubah.",
    ),
)
