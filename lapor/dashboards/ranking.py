"""The ranking of institutions of one kind, its grades, and the immutable snapshots behind
award and sanction decisions. The method is explained in docs/ranking.md.

Score = 100 x the weighted mean of six components, each between 0 and 1:

- follow_up, first_response, on_time: Wilson lower bounds of followed up / routed,
  first response on time / routed, finished on time / routed;
- no_reopen: Wilson lower bound of (answered - reopened) / answered;
- satisfaction: Wilson lower bound of satisfied ratings / ratings;
- compliance: (complaint-team decree in force + at least one active admin) / 2.

The lower bound is the smallest rate the data make plausible (95 % by default): an institution
with 3 of 3 on time scores about 0.44 on that component, one with 300 of 300 about 0.99. An
institution with fewer routed reports than the policy's minimum volume gets no score and no
rank: "not enough data".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import User
from lapor.dashboards import queries
from lapor.dashboards.indicators import Counters
from lapor.dashboards.models import Decision, RankingPolicy, RankingSnapshot
from lapor.dashboards.periods import Period
from lapor.dashboards.tree import Node, Tree
from lapor.institutions.models import Institution

# Kind groups ranked separately (a ministry is not compared with a regency).
GROUPS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "kementerian": (_("Kementerian"), ("ministry",)),
    "lembaga": (_("Lembaga"), ("agency",)),
    "provinsi": (_("Pemerintah provinsi"), ("province",)),
    "kabupaten-kota": (_("Pemerintah kabupaten/kota"), ("regency", "city")),
}
DEFAULT_GROUP = "kabupaten-kota"
COMPONENTS: dict[str, Any] = {
    "follow_up": _("Tindak lanjut"),
    "first_response": _("Respons pertama tepat waktu"),
    "on_time": _("Selesai tepat waktu"),
    "no_reopen": _("Tidak dibuka kembali"),
    "satisfaction": _("Kepuasan pelapor"),
    "compliance": _("Kepatuhan"),
}
GOOD, FAIR, POOR = "baik", "sedang", "kurang"
GRADE_LABELS: dict[str, Any] = {GOOD: _("Baik"), FAIR: _("Sedang"), POOR: _("Kurang")}


def current_ranking_policy() -> RankingPolicy:
    policy, _created = RankingPolicy.objects.get_or_create(pk=1)
    return policy


def group_of(kind: str) -> str | None:
    return next((key for key, (_label, kinds) in GROUPS.items() if kind in kinds), None)


def wilson_lower_bound(successes: int, n: int, z: float = 1.96) -> float:
    """Lower end of the Wilson score interval for `successes` out of `n` (0 when n is 0)."""
    if n <= 0:
        return 0.0
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, (centre - spread) / (1 + z2 / n))


def wilson_upper_bound(successes: int, n: int, z: float = 1.96) -> float:
    if n <= 0:
        return 1.0
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return min(1.0, (centre + spread) / (1 + z2 / n))


def grade_for(score: float, policy: RankingPolicy) -> str:
    if score >= float(policy.grade_good_min):
        return GOOD
    if score >= float(policy.grade_fair_min):
        return FAIR
    return POOR


@dataclass
class RankRow:
    node: Node
    counters: Counters
    decree_current: bool
    decree_on_file: bool
    admins_active: bool
    overdue_now: int
    components: dict[str, float] = field(default_factory=dict)
    score: float | None = None
    grade: str | None = None
    rank: int | None = None

    @property
    def volume(self) -> int:
        return self.counters.routed

    @property
    def enough_data(self) -> bool:
        return self.score is not None

    @property
    def grade_label(self) -> str:
        return str(GRADE_LABELS[self.grade]) if self.grade else str(_("Data belum cukup"))

    def as_snapshot(self) -> dict[str, Any]:
        return {
            "institution_id": self.node.id,
            "name": self.node.name,
            "kind": self.node.kind,
            "rank": self.rank,
            "score": None if self.score is None else round(self.score, 2),
            "grade": self.grade,
            "components": {k: round(v, 4) for k, v in self.components.items()},
            "counters": self.counters.as_dict(),
            "decree_current": self.decree_current,
            "admins_active": self.admins_active,
            "overdue_now": self.overdue_now,
        }


def components_for(
    c: Counters, *, decree: bool, admins: bool, policy: RankingPolicy
) -> dict[str, float]:
    z = float(policy.confidence_z)
    return {
        "follow_up": wilson_lower_bound(c.followed_up, c.routed, z),
        "first_response": wilson_lower_bound(c.first_response_on_time, c.routed, z),
        "on_time": wilson_lower_bound(c.finished_on_time, c.routed, z),
        "no_reopen": wilson_lower_bound(c.answered - c.reopened, c.answered, z),
        "satisfaction": wilson_lower_bound(c.satisfied(policy.satisfied_rating), c.rating_count, z),
        "compliance": (int(decree) + int(admins)) / 2,
    }


def composite_score(components: dict[str, float], policy: RankingPolicy) -> float:
    weights = policy.weights()
    total = sum(weights.values())
    return 100 * sum(weights[k] * components[k] for k in weights) / total


def build_ranking(
    tree: Tree,
    group: str,
    period: Period,
    now: datetime,
    policy: RankingPolicy | None = None,
) -> list[RankRow]:
    """Every active institution of the group, ranked: scored ones by score (then volume, then
    name), then the ones without enough data by volume."""
    policy = policy or current_ranking_policy()
    _label, kinds = GROUPS[group]
    targets = tree.top_level(kinds)
    counters = queries.subtree_counters(tree, period, targets)
    decrees = queries.decree_status([t.id for t in targets], now.date())
    activity = queries.admin_activity(
        tree, targets, now, days=policy.active_admin_days, count_actions=False
    )
    overdue_by_inst = queries.overdue_by_institution(tree)
    overdue = tree.rollup_counts(overdue_by_inst, targets)
    rows = []
    for node in targets:
        c = counters[node.id]
        row = RankRow(
            node=node,
            counters=c,
            decree_current=decrees[node.id].current,
            decree_on_file=decrees[node.id].on_file,
            admins_active=activity[node.id].active_admins > 0,
            overdue_now=overdue[node.id],
        )
        row.components = components_for(
            c, decree=row.decree_current, admins=row.admins_active, policy=policy
        )
        if c.routed >= max(policy.min_volume, 1):
            row.score = composite_score(row.components, policy)
            row.grade = grade_for(row.score, policy)
        rows.append(row)
    scored = sorted(
        (r for r in rows if r.score is not None),
        key=lambda r: (-(r.score or 0), -r.volume, r.node.name),
    )
    for position, row in enumerate(scored, start=1):
        row.rank = position
    unscored = sorted((r for r in rows if r.score is None), key=lambda r: (-r.volume, r.node.name))
    return scored + unscored


def take_snapshot(
    *,
    tree: Tree,
    group: str,
    period: Period,
    now: datetime,
    user: User | None,
) -> RankingSnapshot:
    """Freeze the ranking as it stands now (figures, policy, version of the summary)."""
    policy = current_ranking_policy()
    rows = build_ranking(tree, group, period, now, policy)
    return RankingSnapshot.objects.create(
        group=group,
        period_start=period.start,
        period_end=period.end,
        computed_at=now,
        created_by=user,
        policy=policy.as_dict(),
        rows=[r.as_snapshot() for r in rows],
        stats_token=tree.version.token,
    )


class StaleRanking(Exception):
    """The summaries or the ranking policy changed since the ranking was shown."""


def ranking_version(tree: Tree, policy: RankingPolicy) -> str:
    """What a shown ranking was computed from: the summaries' refresh and the policy's last
    change. The same version gives the same figures (they are cached under it)."""
    changed = policy.updated_at.isoformat() if policy.updated_at else ""
    return f"{tree.version.token}|{changed}"


def record_decision(
    *,
    actor: User,
    institution: Institution,
    kind: str,
    period: Period,
    reason: str,
    now: datetime,
    seen_version: str | None = None,
) -> Decision:
    """Record an award, warning or sanction with a snapshot of the ranking it rests on.

    With `seen_version` (ranking_version of the ranking the admin looked at), the snapshot is
    that same ranking, or StaleRanking is raised when the summaries or the policy changed in
    between. The institution must belong to a ranked group; the caller checks that `actor` is
    a national admin.
    """
    group = group_of(institution.kind)
    if group is None:
        raise ValueError("only ministries, agencies and local governments are ranked")
    if kind not in Decision.Kind.values:
        raise ValueError(f"unknown decision kind {kind!r}")
    with transaction.atomic():
        tree = Tree.load()
        if seen_version is not None and seen_version != ranking_version(
            tree, current_ranking_policy()
        ):
            raise StaleRanking
        snapshot = take_snapshot(tree=tree, group=group, period=period, now=now, user=actor)
        return Decision.objects.create(
            institution=institution,
            kind=kind,
            period_start=period.start,
            period_end=period.end,
            reason=reason.strip(),
            snapshot=snapshot,
            decided_by=actor,
            decided_at=now,
        )
