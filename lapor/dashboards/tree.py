"""The institution tree as the dashboards use it: loaded once per request, rolled up by path.

Summary rows are kept per institution; the figure of a subtree is the sum of the rows of every
institution whose materialised path starts with the subtree root's path. Doing that sum in
Python over one small per-institution result keeps one query per figure family, whatever the
number of subtrees on the page (a ranking of 500 regencies is still one query).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from lapor.dashboards.models import StatsRefresh
from lapor.institutions.models import Institution

T = TypeVar("T")

TOP_LEVEL_KINDS = frozenset(Institution.TOP_LEVEL_KINDS)


@dataclass(frozen=True)
class Version:
    """Which refresh of the summaries a request reads (cache keys use the token)."""

    token: str
    finished_at: datetime | None


def stats_version() -> Version:
    row = (
        StatsRefresh.objects.filter(finished_at__isnull=False)
        .order_by("-id")
        .values_list("token", "finished_at")
        .first()
    )
    return Version(*row) if row else Version("none", None)


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    kind: str
    path: str
    depth: int
    parent_id: int | None
    is_active: bool

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids on the path, the root first and this node last."""
        return [int(part) for part in self.path.split(".") if part]

    @property
    def kind_label(self) -> str:
        return (
            str(Institution.Kind(self.kind).label) if self.kind in Institution.Kind else self.kind
        )


class Tree:
    """Every institution, by id, with helpers for subtrees and roll-ups; and the version of the
    summaries the request reads, so that one request reads one version throughout."""

    def __init__(self, nodes: Iterable[Node], version: Version | None = None) -> None:
        self.version = version or Version("none", None)
        self.nodes: dict[int, Node] = {n.id: n for n in nodes}
        # Parsed once: every roll-up walks each row's ancestors.
        self.ancestors: dict[int, tuple[int, ...]] = {
            pk: tuple(node.ancestor_ids) for pk, node in self.nodes.items()
        }
        roots = [n for n in self.nodes.values() if n.kind == Institution.Kind.NATIONAL]
        self.root: Node | None = min(roots, key=lambda n: n.depth) if roots else None

    @classmethod
    def load(cls) -> Tree:
        rows = Institution.objects.order_by("path").values_list(
            "id", "name", "kind", "path", "depth", "parent_id", "is_active"
        )
        return cls((Node(*row) for row in rows), stats_version())

    def get(self, pk: int | None) -> Node | None:
        return self.nodes.get(pk) if pk is not None else None

    def children(self, node: Node | None) -> list[Node]:
        parent_id = node.id if node is not None else None
        found = [n for n in self.nodes.values() if n.parent_id == parent_id]
        return sorted(found, key=lambda n: (n.kind != "department", n.name))

    def subtree_ids(self, node: Node) -> list[int]:
        return [n.id for n in self.nodes.values() if n.path.startswith(node.path)]

    def top_level(self, kinds: Iterable[str] = TOP_LEVEL_KINDS) -> list[Node]:
        wanted = set(kinds)
        return sorted(
            (n for n in self.nodes.values() if n.kind in wanted and n.is_active),
            key=lambda n: n.name,
        )

    def owner_of(self, node: Node) -> Node | None:
        """The nearest K/L/D at or above `node`."""
        for pk in reversed(self.ancestors[node.id]):
            ancestor = self.nodes.get(pk)
            if ancestor is not None and ancestor.kind in TOP_LEVEL_KINDS:
                return ancestor
        return None

    def breadcrumbs(self, node: Node) -> list[Node]:
        return [self.nodes[pk] for pk in self.ancestors[node.id] if pk in self.nodes]

    def rollup(
        self,
        by_institution: Mapping[int | None, T],
        targets: Iterable[Node],
        make: Callable[[], T],
        add: Callable[[T, T], None],
    ) -> dict[int, T]:
        """For each target, the sum of the values of every institution in its subtree."""
        wanted = {t.id for t in targets}
        totals: dict[int, T] = {pk: make() for pk in wanted}
        for pk, value in by_institution.items():
            for ancestor in self.ancestors.get(pk, ()) if pk is not None else ():
                if ancestor in wanted:
                    add(totals[ancestor], value)
        return totals

    def rollup_counts(
        self, values: Mapping[int | None, int], targets: Iterable[Node]
    ) -> dict[int, int]:
        """For each target, the sum of the counts of every institution in its subtree."""
        wanted = {t.id for t in targets}
        totals = dict.fromkeys(wanted, 0)
        for pk, n in values.items():
            for ancestor in self.ancestors.get(pk, ()) if pk is not None else ():
                if ancestor in wanted:
                    totals[ancestor] += n
        return totals

    def total(
        self,
        by_institution: Mapping[int | None, T],
        make: Callable[[], T],
        add: Callable[[T, T], None],
    ) -> T:
        result = make()
        for value in by_institution.values():
            add(result, value)
        return result
