"""Models of the dashboards app: summary tables, the ranking policy and decisions, action plans."""

from lapor.dashboards.models.plans import (
    LOWER_IS_BETTER,
    PERCENT_INDICATORS,
    ActionPlan,
    ActionPlanActivity,
    ActionPlanNote,
    ActionPlanTarget,
    Indicator,
)
from lapor.dashboards.models.ranking import Decision, RankingPolicy, RankingSnapshot
from lapor.dashboards.models.stats import (
    COUNTER_FIELDS,
    BounceFact,
    MonthlyBreakdown,
    MonthlyDuration,
    MonthlyStats,
    OverdueCount,
    ReportFact,
    StatsRefresh,
)

__all__ = [
    "COUNTER_FIELDS",
    "LOWER_IS_BETTER",
    "PERCENT_INDICATORS",
    "ActionPlan",
    "ActionPlanActivity",
    "ActionPlanNote",
    "ActionPlanTarget",
    "BounceFact",
    "Decision",
    "Indicator",
    "MonthlyBreakdown",
    "MonthlyDuration",
    "MonthlyStats",
    "OverdueCount",
    "RankingPolicy",
    "RankingSnapshot",
    "ReportFact",
    "StatsRefresh",
]
