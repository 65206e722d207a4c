"""How a demo report arrives: channel, who sends it, its text, place and privacy flags."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from typing import Any

from lapor.accounts.models import User
from lapor.reports.actors import SYSTEM, SystemActor
from lapor.reports.demo.organisation import Directory
from lapor.reports.demo.places import GUEST_NAMES, area_by_code, draw_spot, phone_number
from lapor.reports.demo.planning import Plan
from lapor.reports.demo.timeline import WITA
from lapor.reports.models import OFFLINE_CHANNELS, Channel
from lapor.reports.services import ReportInput

CHANNEL_WEIGHTS: dict[str, int] = {
    Channel.WEB: 45,
    Channel.SMS: 9,
    Channel.EMAIL: 6,
    Channel.WHATSAPP: 6,
    Channel.API: 5,
    Channel.OPEN311: 2,
    Channel.SOCIAL_MEDIA: 3,
    Channel.LETTER: 8,
    Channel.WALK_IN: 7,
    Channel.PHONE: 6,
    Channel.SUGGESTION_BOX: 3,
}
HOSPITALS = {"64.72": "RSUD Abdul Wahab Sjahranie", "64.71": "RSUD Beriman Balikpapan"}
PUSKESMAS = {
    "64.72": ("Puskesmas Sempaja", "Puskesmas Temindung"),
    "64.71": ("Puskesmas Klandasan Ilir", "Puskesmas Sepinggan"),
}
AMOUNTS = {
    "parkir": ("5.000", "10.000", "15.000"),
    "ktp": ("100.000", "150.000", "250.000"),
    "bpjs": ("350.000", "780.000", "1.250.000"),
}
# A sentence ends after a word of three or more letters (not after "Jl." or "R.").
SENTENCE_END = re.compile(r"(?<=[a-z]{3}[.!?])\s+")
SCHOOL_AMOUNTS = ("150.000", "250.000", "350.000", "500.000", "750.000", "1.200.000")


def words_for(plan: Plan, rng: random.Random) -> dict[str, Any]:
    """Values for the topic's placeholders at the plan's place."""
    spot, code = plan.spot, plan.spot.area.code
    city = spot.area.city
    return {
        "street": spot.street,
        "kelurahan": spot.kelurahan,
        "kecamatan": spot.kecamatan,
        "city": city,
        "rt": spot.rt,
        "landmark": spot.landmark,
        "school": f"SD Negeri {rng.randint(1, 60):03d} {city}",
        "sma": f"SMA Negeri {rng.randint(1, 16)} {city}",
        "puskesmas": rng.choice(PUSKESMAS.get(code, (f"Puskesmas {spot.kecamatan}",))),
        "hospital": HOSPITALS.get(code, f"RSUD {city}"),
        "amount": rng.choice(AMOUNTS.get(plan.topic.key, SCHOOL_AMOUNTS)),
        "n": rng.randint(3, 8),
        "q": rng.randint(1, 4),
        "weeks": rng.randint(2, 8),
        "months": rng.randint(2, 7),
        "days": rng.randint(3, 9),
        "km": rng.randint(12, 95),
    }


def choose_channel(plan: Plan, rng: random.Random) -> str:
    if plan.junk is not None:
        return rng.choice([Channel.WEB, Channel.WEB, Channel.SMS, Channel.EMAIL])
    channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
    # Offline complaints are typed in mostly at Samarinda's service desk.
    if channel in OFFLINE_CHANNELS and not plan.topic.areas and rng.random() < 0.7:
        plan.spot = draw_spot(rng, area_by_code("64.72"))
    return channel


def _guest_contact(rng: random.Random) -> tuple[str, str, str]:
    name = rng.choice(GUEST_NAMES)
    email = f"{name.lower().replace(' ', '.')}{rng.randint(10, 99)}@example.com"
    return name, email, phone_number(rng)


def _original_document(channel: str, plan: Plan, rng: random.Random) -> str:
    spot, year = plan.spot, plan.submitted_at.astimezone(WITA).year
    number = rng.randint(11, 480)
    if channel == Channel.LETTER:
        day = (plan.submitted_at - timedelta(days=rng.randint(1, 5))).astimezone(WITA)
        return f"Surat pengaduan warga tanggal {day:%d-%m-%Y}, No. {number}/RT.{spot.rt:02d}/{year}"
    if channel == Channel.WALK_IN:
        return f"Buku tamu Mal Pelayanan Publik {spot.area.city} No. {number}/{year}"
    if channel == Channel.PHONE:
        return f"Catatan telepon layanan pengaduan, tiket PGD-{year}-{number:04d}"
    return f"Kotak saran kantor Kelurahan {spot.kelurahan}, lembar {number}"


def _text(plan: Plan, rng: random.Random, words: dict[str, Any], channel: str) -> tuple[str, str]:
    if plan.junk is not None:
        return plan.junk.title, plan.junk.body
    if plan.original is not None:
        intro = rng.choice(
            ["Saya laporkan lagi karena belum ada kabar. ", "Mohon ditindaklanjuti, ini berulang. "]
        )
        return plan.original.title, intro + plan.original.body
    title = rng.choice(plan.topic.titles).format_map(words)
    body = rng.choice(plan.topic.bodies).format_map(words)
    if channel in (Channel.SMS, Channel.WHATSAPP):
        # Messages from phones are short: the first two sentences.
        body = " ".join(SENTENCE_END.split(body)[:2])
    return title, body


def submission_for(
    plan: Plan, rng: random.Random, directory: Directory, words: dict[str, Any], channel: str
) -> tuple[ReportInput, User | SystemActor | None]:
    """The submitted data and who submits it (reporter, guest, gateway or intake staff)."""
    spot = plan.spot
    government = directory.government_of(spot.area.code)
    target = directory.target_for(plan.topic, spot.area.code)
    title, body = _text(plan, rng, words, channel)
    name, email, phone = _guest_contact(rng)
    flags = rng.random()
    values: dict[str, Any] = {
        "report_type": plan.topic.report_type,
        "title": title,
        "body": body,
        "channel": channel,
        "incident_date": (
            plan.submitted_at.astimezone(WITA) - timedelta(days=rng.randint(0, 10))
        ).date(),
        "province_code": "64",
        "regency_code": spot.area.code,
        "address": spot.address if rng.random() < 0.75 else "",
        "is_anonymous": flags < 0.16,
        "is_confidential": 0.12 < flags < 0.22,
    }
    if (
        channel in (Channel.WEB, Channel.API, Channel.OPEN311, Channel.WHATSAPP)
        and rng.random() < 0.5
    ):
        values["latitude"], values["longitude"] = spot.latitude, spot.longitude
    if plan.junk is None and (pick := rng.random()) < 0.7:
        category = directory.categories[plan.topic.category]
        values["category_id"] = category.pk if pick < 0.55 else category.parent_id
    actor: User | SystemActor | None
    if channel in OFFLINE_CHANNELS:
        actor = directory.admin_for(government)
        values.update(
            contact_name=name, contact_phone=phone, suggested_institution_id=government.pk
        )
        values["original_document"] = _original_document(channel, plan, rng)
        return ReportInput(**values), actor
    if plan.junk is None and rng.random() < 0.4:
        values["suggested_institution_id"] = directory.top_level_of(target).pk
    if channel == Channel.WEB:
        if rng.random() < 0.7:
            reporters = directory.reporters
            return ReportInput(**values), rng.choices(reporters, [6] + [1] * (len(reporters) - 1))[
                0
            ]
        values.update(contact_name=name if rng.random() < 0.6 else "", contact_email=email)
        return ReportInput(**values), None
    if channel in (Channel.SMS, Channel.WHATSAPP):
        values["contact_phone"] = phone
    elif channel == Channel.EMAIL:
        values.update(contact_name=name, contact_email=email)
    else:
        values.update(contact_name=name, contact_email=email if rng.random() < 0.5 else "")
    return ReportInput(**values), SYSTEM
