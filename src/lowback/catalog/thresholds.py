"""The tunable thresholds: every number lowback chose itself, within safe bounds.

Numbers the clinical spec marks [H] (lowback heuristics) live in
:class:`Thresholds`. Each has a documented default, safe bounds, the
direction that is the cautious one, its sources and the rules that read it
(:meth:`Thresholds.describe`). An app may move a threshold within its
bounds; constructing one outside them raises
:class:`~lowback.errors.InvalidInput`. The rules themselves are in
:mod:`lowback.catalog.rules`, which re-exports both names.

>>> Thresholds(persistent_days=28).persistent_days
28
>>> Thresholds.describe()[0].name
'persistent_days'
"""

from __future__ import annotations

from typing import Any

import attrs

from .sources import SourceId
from .validators import in_range

__all__ = ["ThresholdInfo", "Thresholds"]

_S = SourceId


@attrs.frozen(kw_only=True)
class ThresholdInfo:
    """Documentation of one threshold: default, safe bounds, source, rules."""

    name: str
    default: float
    #: The lowest value an app may set.
    low: float
    #: The highest value an app may set.
    high: float
    unit: str
    #: Whether the threshold is a whole number (else a float).
    integer: bool
    #: Which direction is the cautious one: ``"lower"`` or ``"higher"``.
    safer: str
    sources: tuple[SourceId, ...]
    #: IDs of the rules that read it.
    rules: tuple[str, ...]
    doc: str


_META = "lowback"


def _threshold(  # noqa: PLR0913 - each argument documents the threshold
    default: float,
    low: float,
    high: float,
    *,
    unit: str,
    safer: str,
    rules: tuple[str, ...],
    doc: str,
    sources: tuple[SourceId, ...] = (_S.HEURISTIC,),
) -> Any:
    kind = float if type(default) is float else int
    info = {
        "default": default,
        "integer": kind is int,
        "low": low,
        "high": high,
        "unit": unit,
        "safer": safer,
        "sources": sources,
        "rules": rules,
        "doc": doc,
    }
    return attrs.field(
        default=default,
        validator=in_range(low, high, kind=kind),
        metadata={_META: info},
    )


@attrs.frozen(kw_only=True)
class Thresholds:
    """The tunable numbers of the rules, each within safe bounds.

    Defaults are the spec's. An app may change any of them within its bounds,
    which never cross a guideline limit and only ever allow a more cautious
    setting than the article's; :meth:`describe` lists them all.

    >>> Thresholds(weekly_volume_cap=0.5)
    Traceback (most recent call last):
    lowback.errors.InvalidInput: invalid input: $.weekly_volume_cap: out_of_range (must be 0.0..0.3)
    """

    persistent_days: int = _threshold(
        42,
        7,
        42,
        unit="days",
        safer="lower",
        rules=("RT-PERSIST",),
        sources=(_S.ARTICLE_REHAB, _S.HEURISTIC),
        doc="An episode longer than this adds a physiotherapist (article: 4-6 weeks).",
    )
    calm_entry_pain: int = _threshold(
        5,
        1,
        5,
        unit="NPRS 0-10",
        safer="lower",
        rules=("EN-CALM", "EN-MOBILITY"),
        doc="Pain now at or above this starts the plan at stage 1; below it, stage 2.",
    )
    advance_sessions: int = _threshold(
        3,
        3,
        10,
        unit="sessions",
        safer="higher",
        rules=("PR-ADVANCE",),
        doc="How many recent sessions must all be green and settled before advancing.",
    )
    advance_span_days: int = _threshold(
        5,
        5,
        28,
        unit="days",
        safer="higher",
        rules=("PR-ADVANCE", "PR-TIME"),
        doc="Those sessions must span at least this many days.",
    )
    green_zone_pain: int = _threshold(
        3,
        0,
        3,
        unit="NPRS 0-10",
        safer="lower",
        rules=("PR-ADVANCE", "PR-GATE-2", "PR-GATE-3", "LD-MONITOR", "LD-PROGRESS"),
        sources=(_S.SILBERNAGEL_2007, _S.HEURISTIC),
        doc="Pain during exercise at or below this is the green zone.",
    )
    max_pain_during: int = _threshold(
        5,
        0,
        5,
        unit="NPRS 0-10",
        safer="lower",
        rules=("PR-SPIKE", "LD-MONITOR"),
        sources=(_S.SILBERNAGEL_2007,),
        doc="Pain during exercise above this is a spike (pain-monitoring model: never above 5).",
    )
    spike_pain_rise: int = _threshold(
        2,
        1,
        2,
        unit="NPRS points",
        safer="lower",
        rules=("PR-SPIKE",),
        sources=(_S.OSTELO_2008, _S.HEURISTIC),
        doc="Pain after a session this much above pain before it is a spike.",
    )
    regression_cooldown_days: int = _threshold(
        7,
        7,
        28,
        unit="days",
        safer="higher",
        rules=("PR-ADVANCE",),
        doc="No advance within this many days of a regression.",
    )
    gate1_pain: int = _threshold(
        4,
        0,
        4,
        unit="NPRS 0-10",
        safer="lower",
        rules=("PR-GATE-1",),
        doc="Stage 1 to 2 when pain now is at or below this.",
    )
    gate1_drop: int = _threshold(
        2,
        2,
        10,
        unit="NPRS points",
        safer="higher",
        rules=("PR-GATE-1",),
        sources=(_S.OSTELO_2008,),
        doc="No longer read by any rule: v2 narrowed PR-GATE-1 to pain now alone "
        "(kept so stored thresholds still load).",
    )
    gate3_endurance_seconds: float = _threshold(
        10.0,
        10.0,
        60.0,
        unit="seconds",
        safer="higher",
        rules=("PR-GATE-3",),
        sources=(_S.ARTICLE_SELF_CHECKS,),
        doc="A re-checked endurance hold must last at least this long to leave stage 3.",
    )
    gate4_pain: int = _threshold(
        2,
        0,
        2,
        unit="NPRS 0-10",
        safer="lower",
        rules=("PR-GATE-4",),
        doc="Stage 4 to 5 needs pain now at or below this for gate4_days.",
    )
    gate4_days: int = _threshold(
        14,
        14,
        56,
        unit="days",
        safer="higher",
        rules=("PR-GATE-4",),
        doc="How many days pain must stay at or below gate4_pain to leave stage 4.",
    )
    weekly_volume_cap: float = _threshold(
        0.10,
        0.0,
        0.30,
        unit="fraction",
        safer="lower",
        rules=("LD-CAP",),
        sources=(_S.NIELSEN_2014, _S.HEURISTIC),
        doc="Each exercise's planned weekly volume may exceed its own previous week's by at "
        "most this fraction, or by one step where a step is larger (never over 30 %, the upper "
        "bound; more than 30 % over two weeks is linked to injury).",
    )
    deload_fraction: float = _threshold(
        0.30,
        0.30,
        0.90,
        unit="fraction",
        safer="higher",
        rules=("LD-DELOAD",),
        doc="A spike cuts the next dose by at least this fraction.",
    )
    gap_days: int = _threshold(
        7,
        1,
        7,
        unit="days",
        safer="lower",
        rules=("LD-GAP",),
        sources=(_S.ARTICLE_PREVENTION, _S.HEURISTIC),
        doc="A break this long or longer means resuming at no more than the last dose.",
    )
    deload_hold_days: int = _threshold(
        7,
        7,
        28,
        unit="days",
        safer="higher",
        rules=("LD-DELOAD-HOLD",),
        sources=(_S.SILBERNAGEL_2007, _S.HEURISTIC),
        doc="After a spike, no dose increases for this many days.",
    )
    trauma_memory_days: int = _threshold(
        90,
        90,
        3650,
        unit="days",
        safer="higher",
        rules=("PR-HISTORY",),
        sources=(_S.HEURISTIC,),
        doc="A plan remembers significant trauma at intake for this many days "
        "(spec 5.2 PR-HISTORY [H]); the other history flags for its whole life.",
    )
    desk_break_minutes: int = _threshold(
        30,
        15,
        30,
        unit="minutes",
        safer="lower",
        rules=("LD-DESK",),
        sources=(_S.ARTICLE_STAGE_4,),
        doc="Change position at least this often (article: every 25-30 minutes).",
    )
    calm_entry_worst_pain: int = _threshold(
        7,
        1,
        7,
        unit="NPRS 0-10",
        safer="lower",
        rules=("EN-CALM", "EN-MOBILITY"),
        doc="Worst pain in the last 24 hours at or above this also starts the plan "
        "at stage 1 (spec 5.1, EN-CALM widened).",
    )

    no_progress_days: int = _threshold(
        42,
        28,
        42,
        unit="days",
        safer="lower",
        rules=("RT-NO-PROGRESS",),
        sources=(_S.ARTICLE_REHAB, _S.HEURISTIC),
        doc="An outcome recorded this long into a plan with no measure improved "
        "recommends a physiotherapist review (article: 4-6 weeks).",
    )
    # Minimal important changes (spec 6.1, OM-MIC). One value serves both
    # directions: a change at least this big in the better direction is
    # "improved", in the worse direction "worse". The spec's values are the
    # upper bounds; an app may only lower them, which flags a worsening
    # sooner (worse stops advancing and brings a physiotherapist review).
    # Lowering also counts smaller gains as improvement, so the floors stay
    # at about half the published value.
    mic_nprs: int = _threshold(
        2,
        1,
        2,
        unit="NPRS points",
        safer="lower",
        rules=("OM-MIC", "PR-OUTCOME-WORSE", "RT-NO-PROGRESS"),
        sources=(_S.OSTELO_2008, _S.HEURISTIC),
        doc="Minimal important change of the 0-10 pain rating (Ostelo 2008: 2 points).",
    )
    mic_odi: int = _threshold(
        10,
        5,
        10,
        unit="ODI percentage points",
        safer="lower",
        rules=("OM-MIC", "PR-OUTCOME-WORSE", "RT-NO-PROGRESS"),
        sources=(_S.OSTELO_2008, _S.HEURISTIC),
        doc="Minimal important change of the Oswestry Disability Index (Ostelo 2008: 10 points).",
    )
    mic_rmdq: int = _threshold(
        5,
        2,
        5,
        unit="RMDQ points",
        safer="lower",
        rules=("OM-MIC", "PR-OUTCOME-WORSE", "RT-NO-PROGRESS"),
        sources=(_S.OSTELO_2008, _S.HEURISTIC),
        doc="Minimal important change of the Roland-Morris questionnaire (Ostelo 2008: 5 points).",
    )
    mic_psfs: int = _threshold(
        2,
        1,
        2,
        unit="PSFS points (mean)",
        safer="lower",
        rules=("OM-MIC", "PR-OUTCOME-WORSE", "RT-NO-PROGRESS"),
        sources=(_S.STRATFORD_1995, _S.HEURISTIC),
        doc="Minimal important change of the Patient-Specific Functional Scale mean (Stratford 1995: 2 points).",
    )
    mic_peg: float = _threshold(
        1.0,
        0.6,
        1.0,
        unit="PEG points (mean)",
        safer="lower",
        rules=("OM-MIC", "PR-OUTCOME-WORSE", "RT-NO-PROGRESS"),
        sources=(_S.REED_2024,),
        doc="Minimal important change of the PEG mean (Reed 2024: 1.0 with an anchor, "
        "0.6 and up by distribution methods).",
    )

    @classmethod
    def describe(cls) -> tuple[ThresholdInfo, ...]:
        """Return the documentation of every threshold, in field order."""
        return tuple(
            ThresholdInfo(name=f.name, **f.metadata[_META]) for f in attrs.fields(cls)
        )
