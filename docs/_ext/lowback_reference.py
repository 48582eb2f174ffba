"""Generate the clinical reference pages from lowback's own catalogs.

Nothing on these pages is written by hand: every table is read from the
catalog values the engines use (``MUSCLES``, ``RED_FLAGS``, ``FINDINGS``,
``STAGE_PLANS``, ``EXERCISES``, ``RULES``, ``Thresholds.describe()``,
``SOURCES``), and the meaning of each vocabulary value is its ``#:`` comment
in the source. A catalog change therefore changes the docs in the same
commit, and a rule or source the pages link to that does not exist breaks
the (nitpicky, warnings-as-errors) build.

:func:`pages` returns the pages as MyST Markdown keyed by file name; it is a
plain function so tests can call it without running Sphinx. As a Sphinx
extension, :func:`setup` writes them to ``docs/reference/generated/`` when
the builder starts (before Sphinx reads the sources).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sphinx.pycode import ModuleAnalyzer

import lowback
from lowback import (
    EXERCISES,
    FINDINGS,
    IMBALANCES,
    MUSCLES,
    RED_FLAGS,
    RULES,
    SOURCES,
    STAGE_PLANS,
    URGENCY_ORDER,
    Disposition,
    RuleKind,
    Stage,
    Suspicion,
    Thresholds,
    render,
)
from lowback.catalog.outcomes import INSTRUMENTS, RELATIVE_MIC, StartBackRisk
from lowback.catalog.sources import SourceId
from lowback.catalog.symptoms import MUSCLE_LIKE_QUALITIES, NERVE_LIKE_QUALITIES
from lowback.engine.transitions import TRANSITIONS

__all__ = ["GENERATED_DIR", "pages", "setup", "write_pages"]

#: Where the generated pages go (ignored by git, rebuilt on every build).
GENERATED_DIR = Path(__file__).resolve().parent.parent / "reference" / "generated"

#: The red-flag rule that gives each suspicion its urgency on its own (the
#: combined rules, such as RF-MSCC, are listed with the rules).
_SUSPICION_RULE = {
    Suspicion.CAUDA_EQUINA: "RF-CES",
    Suspicion.PROGRESSIVE_DEFICIT: "RF-DEFICIT",
    Suspicion.FRACTURE: "RF-TRAUMA",
    Suspicion.INFECTION: "RF-INF",
    Suspicion.MALIGNANCY: "RF-CANCER",
}

_RULE_KIND_TITLES = {
    RuleKind.RED_FLAG: "Red flags (RF-*)",
    RuleKind.NERVE: "Nerve features (NV-*)",
    RuleKind.SCOPE: "Scope (SCOPE-*)",
    RuleKind.SELF_CHECK: "Self-checks (SC-*)",
    RuleKind.REFERRAL: "Referral triggers and self-care (RT-*, SELF)",
    RuleKind.ENTRY: "Entry stage (EN-*)",
    RuleKind.PROGRESSION: "Progression (PR-*)",
    RuleKind.LOAD: "Load management (LD-*)",
    RuleKind.OUTCOME: "Outcome measures and change (OM-*)",
}

_HEADER = (
    "% This page is generated from lowback's catalogs by docs/_ext/lowback_reference.py.\n"
    "% Do not edit it: change the catalog instead.\n\n"
)


# -- small MyST helpers -------------------------------------------------------


def _cell(text: str) -> str:
    """Escape text for a pipe-table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    head = list(header)
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" for _ in head) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _code(value: object) -> str:
    return f"`{value}`"


def _label(prefix: str, key: str) -> str:
    return f"{prefix}-" + "".join(c if c.isalnum() else "-" for c in key.lower())


def rule_label(rule_id: str) -> str:
    """The cross-reference label of a rule's entry (``rule-rf-ces``)."""
    return _label("rule", rule_id)


def source_label(source_id: str) -> str:
    """The cross-reference label of a source's entry."""
    return _label("source", source_id)


def threshold_label(name: str) -> str:
    """The cross-reference label of a threshold's entry."""
    return _label("threshold", name)


def _ref(label: str, text: str) -> str:
    return f"{{ref}}`{text} <{label}>`"


def _rule_ref(rule_id: str) -> str:
    return _ref(rule_label(rule_id), rule_id)


def _sources(sources: Iterable[SourceId]) -> str:
    return ", ".join(_ref(source_label(s), s.value) for s in sources)


def _values(values: Iterable[enum.Enum]) -> str:
    return ", ".join(_code(v.value) for v in sorted(values, key=lambda v: v.value))


def _pyref(obj: type) -> str:
    return f"{{py:class}}`~{obj.__module__}.{obj.__qualname__}`"


def _member_docs(enum_cls: type[enum.Enum]) -> dict[str, str]:
    """The ``#:`` comment of each member of *enum_cls*, by member name."""
    analyzer = ModuleAnalyzer.for_module(enum_cls.__module__)
    docs = analyzer.find_attr_docs()
    return {
        attr: " ".join(line.strip() for line in lines if line.strip())
        for (scope, attr), lines in docs.items()
        if scope == enum_cls.__qualname__
    }


def _vocabulary(enum_cls: type[enum.Enum]) -> str:
    docs = _member_docs(enum_cls)
    rows = [(_code(m.value), docs.get(m.name, "")) for m in enum_cls]
    return _table(("Value", "Meaning"), rows)


def _number(value: float) -> str:
    return f"{value:g}"


# -- the pages ----------------------------------------------------------------


def _muscles_page() -> str:
    out = [
        "(ref-muscles)=\n# Muscles and imbalances\n",
        (
            f"The seven muscle groups of {_pyref(lowback.MuscleGroup)}, from "
            "{py:data}`~lowback.catalog.anatomy.MUSCLES`, and the imbalance patterns of "
            "{py:data}`~lowback.catalog.anatomy.IMBALANCES`.\n"
        ),
    ]
    for muscle in MUSCLES.values():
        out.append(f"## {_code(muscle.group.value)}\n")
        exercises = [e.id for e in EXERCISES.values() if muscle.group in e.targets]
        out.append(
            _table(
                ("", ""),
                [
                    ("Muscles", ", ".join(muscle.members)),
                    ("Felt at", muscle.felt_at),
                    ("Main job", muscle.job),
                    ("How it misbehaves", muscle.misbehaves),
                    ("Referral pattern", muscle.referral or "none given"),
                    ("Trained by", _values(exercises) or "none"),
                    ("Sources", _sources(muscle.sources)),
                ],
            )
        )
    out.append("## Imbalance patterns\n")
    out.append(
        _table(
            ("Pattern", "Weak", "Tight", "Overloaded", "Effect", "Sources"),
            [
                (
                    _code(i.id),
                    _values(i.weak) or "-",
                    _values(i.tight) or "-",
                    _values(i.overloaded) or "-",
                    i.effect,
                    _sources(i.sources),
                )
                for i in IMBALANCES
            ],
        )
    )
    return "\n".join(out)


def _symptoms_page() -> str:
    out = [
        "(ref-symptoms)=\n# Symptom vocabulary\n",
        (
            "The wire values an intake uses, with what each means. Every screening "
            f"question takes an {_pyref(lowback.Answer)}; `unknown` is a real answer "
            "and never counts as `no`.\n"
        ),
    ]
    for enum_cls in (
        lowback.Answer,
        lowback.BodyRegion,
        lowback.Side,
        lowback.PainQuality,
        lowback.Onset,
        lowback.NerveFeature,
        lowback.PainPattern,
    ):
        out.append(f"## {enum_cls.__name__}\n")
        out.append(f"See {_pyref(enum_cls)}.\n")
        out.append(_vocabulary(enum_cls))
        if enum_cls is lowback.PainQuality:
            out.append(
                f"Muscle-like qualities: {_values(MUSCLE_LIKE_QUALITIES)}. "
                f"Nerve-like qualities: {_values(NERVE_LIKE_QUALITIES)}.\n"
            )
    return "\n".join(out)


def _red_flags_page() -> str:
    out = [
        "(ref-red-flags)=\n# Red flags and dispositions\n",
        (
            "Each red flag of {py:data}`~lowback.catalog.red_flags.RED_FLAGS`, the serious condition it "
            "raises concern for, and the urgency its rule gives. A red flag answered "
            f"`unknown` gives at least {_code(Disposition.MEDICAL_REVIEW.value)} "
            f"({_rule_ref('RF-UNKNOWN')}); combinations (such as cancer history with "
            f"a nerve feature, {_rule_ref('RF-MSCC')}) can be more urgent still.\n"
        ),
    ]
    meaning = _member_docs(lowback.RedFlag)
    rows = []
    for flag, info in RED_FLAGS.items():
        rule = RULES[_SUSPICION_RULE[info.suggests]]
        assert rule.disposition is not None  # noqa: S101 - red-flag rules all have one
        rows.append(
            (
                _code(flag.value),
                meaning.get(flag.name, ""),
                _code(info.suggests.value),
                f"{_code(rule.disposition.value)} ({_rule_ref(rule.id)})",
                _sources(info.sources),
            )
        )
    out.append(_table(("Red flag", "Meaning", "Suggests", "Urgency", "Sources"), rows))
    out.append(
        "\nThe cauda equina flags ({py:data}`~lowback.catalog.red_flags.CES_FLAGS`): "
        f"{_values(lowback.CES_FLAGS)}. Any one of them yields "
        f"{_code(Disposition.EMERGENCY.value)}, whatever else the intake says.\n"
    )
    out.append("## Dispositions, most urgent first\n")
    docs = _member_docs(Disposition)
    out.append(
        _table(
            ("Rank", "Disposition", "Meaning", "Rules that give it"),
            [
                (
                    str(rank),
                    _code(d.value),
                    docs.get(d.name, ""),
                    ", ".join(
                        _rule_ref(r.id) for r in RULES.values() if r.disposition is d
                    ),
                )
                for rank, d in enumerate(URGENCY_ORDER, start=1)
            ],
        )
    )
    return "\n".join(out)


def _self_checks_page() -> str:
    out = [
        "(ref-self-checks)=\n# Self-checks and findings\n",
        (
            f"The four home checks ({_pyref(lowback.SelfCheck)}), why one may be "
            f"stopped ({_pyref(lowback.StopReason)}), and what the findings of "
            "{py:data}`~lowback.catalog.self_checks.FINDINGS` suggest. "
            f"{render('self_check.not_an_exam')}\n"
        ),
        "## Checks\n",
        _vocabulary(lowback.SelfCheck),
        "## Stop reasons\n",
        f"{render('self_check.stop_rule')}\n",
        _vocabulary(lowback.StopReason),
        "## Findings\n",
    ]
    out.append(
        _table(
            ("Finding", "From check", "Meaning", "Implicates", "Sources"),
            [
                (
                    _code(f.value),
                    _code(info.check.value) if info.check else "any",
                    info.meaning,
                    _values(info.implicates) or "-",
                    _sources(info.sources),
                )
                for f, info in FINDINGS.items()
            ],
        )
    )
    return "\n".join(out)


def _stages_page() -> str:
    out = [
        "(ref-stages)=\n# Stages, exercises and doses\n",
        (
            "The five stages of {py:data}`~lowback.catalog.exercises.STAGE_PLANS`, each with its "
            "exercises from {py:data}`~lowback.catalog.exercises.EXERCISES` and their doses: where a "
            "plan starts (*start*), the stage's target (*goal*), and the most the "
            "plan ever prescribes (*ceiling*).\n"
        ),
    ]
    for stage, plan in STAGE_PLANS.items():
        out.append(
            f"(ref-stage-{stage.number})=\n## Stage {stage.number}: {_code(stage.value)}\n"
        )
        out.append(
            f"{render(plan.goal)} Treatment-based classification: "
            f"{plan.tbc_approach}. Sources: {_sources(plan.sources)}.\n"
        )
        rows = []
        for exercise_id in plan.exercises:
            ex = EXERCISES[exercise_id]
            rows.append(
                (
                    _code(ex.id.value),
                    ex.kind.value,
                    _values(ex.targets) or "-",
                    ex.start.describe(),
                    ex.goal.describe(),
                    ex.ceiling.describe(),
                    " ".join(render(c) for c in ex.cautions) or "-",
                )
            )
        out.append(
            _table(
                ("Exercise", "Kind", "Targets", "Start", "Goal", "Ceiling", "Cautions"),
                rows,
            )
        )
        habits = ", ".join(_code(h.value) for h in plan.habits)
        out.append(f"\nPositions and daily habits: {habits or 'none'}.\n")
        out.extend(f"- {render(message_id)}" for message_id in plan.messages)
        out.append("")
    out.append("## How each exercise is done\n")
    for ex in EXERCISES.values():
        stages = ", ".join(str(s.number) for s in ex.stages)
        out.append(f"`{ex.id.value}`\n: (stages {stages}) {render(ex.how)}")
        out.extend(f"  {render(cue)}" for cue in ex.cues)
        out.append(f"  Sources: {_sources(ex.sources)}.\n")
    return "\n".join(out)


def _rules_page() -> str:
    out = [
        "(ref-rules)=\n# Rules\n",
        (
            "Every rule of {py:data}`~lowback.catalog.rules.RULES` (ruleset "
            f"`{lowback.RULESET_VERSION}`), by family, with its summary, the "
            "disposition it gives (triage rules) and its sources. Results and "
            "decisions name these IDs.\n"
        ),
    ]
    for kind in RuleKind:
        rules = [r for r in RULES.values() if r.kind is kind]
        if not rules:
            continue
        out.append(f"## {_RULE_KIND_TITLES[kind]}\n")
        for rule in rules:
            out.append(f"({rule_label(rule.id)})=\n### {rule.id}\n")
            out.append(f"{rule.summary}\n")
            readers = [t.name for t in Thresholds.describe() if rule.id in t.rules]
            fields = []
            if rule.disposition is not None:
                fields.append(f"Disposition\n: {_code(rule.disposition.value)}\n")
            if readers:
                links = ", ".join(_ref(threshold_label(n), n) for n in readers)
                fields.append(f"Thresholds\n: {links}\n")
            fields.append(f"Sources\n: {_sources(rule.sources)}\n")
            out.extend(fields)
    return "\n".join(out)


def _thresholds_page() -> str:
    out = [
        "(ref-thresholds)=\n# Thresholds\n",
        (
            f"Every number lowback chose itself lives in {_pyref(Thresholds)}, with a "
            "default and safe bounds. An app may set any value within the bounds "
            "(see {doc}`/howto/thresholds`); *safer* says which direction is the "
            "cautious one.\n"
        ),
    ]
    out.append(
        _table(
            ("Threshold", "Default", "Bounds", "Unit", "Safer", "Rules", "Sources"),
            [
                (
                    _ref(threshold_label(t.name), t.name),
                    _number(t.default),
                    f"{_number(t.low)} to {_number(t.high)}",
                    t.unit,
                    t.safer,
                    ", ".join(_rule_ref(r) for r in t.rules),
                    _sources(t.sources),
                )
                for t in Thresholds.describe()
            ],
        )
    )
    for t in Thresholds.describe():
        kind = "whole number" if t.integer else "number"
        out.append(f"\n({threshold_label(t.name)})=\n## `{t.name}`\n")
        out.append(
            f"{t.doc} Default {_number(t.default)} {t.unit}; any {kind} from "
            f"{_number(t.low)} to {_number(t.high)}; {t.safer} is safer.\n"
        )
    return "\n".join(out)


def _instruments_page() -> str:
    thresholds = {t.name: t for t in Thresholds.describe()}
    out = [
        "(ref-instruments)=\n# Outcome measures and STarT Back\n",
        (
            "The instruments of {py:data}`~lowback.catalog.outcomes.INSTRUMENTS`: "
            "item keys, answer scales, the rule that scores each one, how many items "
            "may be missing, which direction is better, the minimal important change "
            "(a threshold with safe bounds), LOINC codes and the licence. lowback "
            "ships the item **keys** and the scoring only, never an item's wording "
            "(see {doc}`/howto/outcomes`).\n"
        ),
        (
            "A follow-up is *improved* when it moves in the better direction by at "
            "least the minimal important change, or (where the table says so) by at "
            f"least {RELATIVE_MIC.numerator * 100 // RELATIVE_MIC.denominator} % of "
            "baseline; *worse* when it moves the other way by at least the minimal "
            f"important change; *unchanged* otherwise ({_rule_ref('OM-MIC')}).\n"
        ),
    ]
    rows = []
    for instrument in INSTRUMENTS.values():
        name = instrument.mic_threshold
        mic = (
            "none (a screen)"
            if name is None
            else f"{_ref(threshold_label(name), name)} = {_number(thresholds[name].default)}"
        )
        rows.append(
            (
                _code(instrument.measure.value),
                f"{instrument.name} ({instrument.version})",
                _rule_ref(instrument.scoring_rule),
                f"{instrument.score_range[0]}-{instrument.score_range[1]}",
                instrument.direction.value.replace("_", " "),
                mic,
                "yes" if instrument.relative_mic else "no",
            )
        )
    out.append(
        _table(
            ("Measure", "Instrument", "Rule", "Range", "Better", "MIC", "30 % rule"),
            rows,
        )
    )
    for instrument in INSTRUMENTS.values():
        licence = instrument.licence
        loinc = ", ".join(f"{_code(c.code)} ({c.meaning})" for c in instrument.loinc)
        out.append(
            f"\n(instrument-{instrument.measure.value.replace('_', '-')})=\n"
            f"## {instrument.name}\n"
        )
        out.append(f"Measure\n: {_code(instrument.measure.value)}\n")
        out.append(f"Item keys\n: {', '.join(_code(i) for i in instrument.items)}\n")
        out.append(f"Answers\n: {instrument.scale}\n")
        out.append(f"Missing items\n: {instrument.missing_rule}\n")
        out.append(f"LOINC\n: {loinc or 'none located'}\n")
        out.append(
            f"Licence\n: {licence.status.value.replace('_', ' ')}; holder: "
            f"{licence.holder}. {licence.note} Wording shipped: "
            f"{'yes' if licence.wording_shipped else 'no'}.\n"
        )
        out.append(f"Sources\n: {_sources(instrument.sources)}\n")
    out.append(
        "\n## STarT Back risk groups\n\n"
        + _table(
            ("Risk", "When", "Triage"),
            [
                (_code(StartBackRisk.LOW.value), "total 3 or less", "no change"),
                (
                    _code(StartBackRisk.MEDIUM.value),
                    "total 4 or more, psychosocial subscore 3 or less",
                    f"`physio_referral` ({_rule_ref('RT-STARTBACK')})",
                ),
                (
                    _code(StartBackRisk.HIGH.value),
                    "psychosocial subscore 4 or more",
                    (
                        f"`physio_referral` and the finding `psychosocial_risk` "
                        f"({_rule_ref('RT-STARTBACK')})"
                    ),
                ),
            ],
        )
    )
    return "\n".join(out)


def _sources_page() -> str:
    out = [
        "(ref-sources)=\n# Sources\n",
        (
            "Every source a rule, threshold, muscle, exercise or finding cites "
            "({py:data}`~lowback.catalog.sources.SOURCES`). The `article:*` sources are sections "
            f"of the source article, *{lowback.catalog.sources.ARTICLE_TITLE}*; "
            "`lowback:heuristic` marks a number lowback chose itself, always a "
            "threshold with safe bounds.\n"
        ),
    ]
    for source in SOURCES.values():
        year = f" ({source.year})" if source.year else ""
        citing = [r.id for r in RULES.values() if source.id in r.sources]
        out.append(f"({source_label(source.id.value)})=\n## `{source.id.value}`\n")
        out.append(f"*{source.title}*{year}. {source.kind.value}; {source.locator}.\n")
        if citing:
            out.append("Cited by " + ", ".join(_rule_ref(r) for r in citing) + ".\n")
    return "\n".join(out)


# -- the stage machine ----------------------------------------------------------


_BOX_W, _BOX_H, _GAP, _MARGIN = 210, 64, 44, 20
_COLOURS = ("#1b7f3b", "#b00020", "#b35900", "#5a2ca0", "#00599c", "#555555")


def _box_x(stage: Stage) -> float:
    return _MARGIN + (stage.number - 1) * (_BOX_W + _GAP)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _classify(
    edges: tuple[Any, ...],
) -> tuple[list[str], dict[Stage, list[str]], list[tuple[Stage, Stage, str]]]:
    """Split edges into everywhere-actions, self-loops and arcs."""
    stages = tuple(Stage)
    all_pairs = {(a, b) for a in stages for b in stages}
    by_action: dict[str, set[tuple[Stage, Stage]]] = {}
    for e in edges:
        by_action.setdefault(str(e.action.value), set()).add((e.source, e.target))
    everywhere = [a for a, pairs in by_action.items() if pairs == all_pairs]
    loops: dict[Stage, list[str]] = {s: [] for s in stages}
    arcs: list[tuple[Stage, Stage, str]] = []
    for e in edges:
        action = str(e.action.value)
        if action in everywhere:
            continue
        if e.source is e.target:
            if action not in loops[e.source]:
                loops[e.source].append(action)
        elif (e.source, e.target, action) not in arcs:
            arcs.append((e.source, e.target, action))
    return everywhere, loops, arcs


def stage_machine_svg(transitions: Iterable[Any]) -> str:
    """Draw the stage machine of *transitions* as a standalone SVG document.

    Each edge needs ``source`` and ``target`` (stages), ``action`` (an enum)
    and ``guards`` (rule IDs). An action whose edges join every stage to
    every stage (a clinician's clearance, say) is written as a note instead
    of 25 arrows; an edge from a stage to itself is listed inside its box;
    every other edge is an arc, forward above the boxes, backward below.
    """
    everywhere, loops, arcs = _classify(tuple(transitions))
    actions = list(dict.fromkeys(a for _, _, a in arcs))
    colour = {a: _COLOURS[i % len(_COLOURS)] for i, a in enumerate(actions)}
    placed: list[tuple[float, float, float, float, bool, str]] = []
    seen: dict[tuple[Stage, Stage], int] = {}
    for source, target, action in arcs:
        k = seen.get((source, target), 0)
        seen[(source, target)] = k + 1
        distance = abs(target.number - source.number)
        depth = 36 + 34 * (distance - 1) + 26 * k
        forward = target.number > source.number
        if forward:
            x1 = _box_x(source) + _BOX_W * 0.8
            x2 = _box_x(target) + _BOX_W * 0.2
        else:
            x1 = _box_x(source) + _BOX_W * 0.3
            x2 = _box_x(target) + _BOX_W * max(0.35, 0.75 - 0.1 * (distance - 1))
        placed.append((x1, x2, depth, 0.0, forward, action))
    above = max((d for *_, d, _, f, _ in placed if f), default=0.0)
    below = max((d for *_, d, _, f, _ in placed if not f), default=0.0)
    top = 20 + above
    stages = tuple(Stage)
    width = 2 * _MARGIN + len(stages) * _BOX_W + (len(stages) - 1) * _GAP
    height = top + _BOX_H + below + (50 if everywhere else 20)
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
            'font-family="sans-serif" font-size="12">'
        ),
        "<title>The lowback stage machine, drawn from lowback.engine.transitions.TRANSITIONS</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        "<defs>",
    ]
    out.extend(
        f'<marker id="arrow-{a}" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{colour[a]}"/></marker>'
        for a in actions
    )
    out.append("</defs>")
    for x1, x2, arc_depth, _, forward, action in placed:
        y = top if forward else top + _BOX_H
        apex = y - arc_depth if forward else y + arc_depth
        mid = (x1 + x2) / 2
        out.append(
            f'<path class="arc" d="M{x1:.0f},{y:.0f} Q{mid:.0f},{2 * apex - y:.0f} '
            f'{x2:.0f},{y:.0f}" fill="none" stroke="{colour[action]}" '
            f'stroke-width="1.6" marker-end="url(#arrow-{action})"/>'
        )
        label_y = apex - 4 if forward else apex + 13
        out.append(
            f'<text x="{mid:.0f}" y="{label_y:.0f}" text-anchor="middle" '
            f'fill="{colour[action]}">{_esc(action)}</text>'
        )
    for stage in stages:
        x = _box_x(stage)
        centre = x + _BOX_W / 2
        out.append(
            f'<rect x="{x:.0f}" y="{top:.0f}" width="{_BOX_W}" height="{_BOX_H}" '
            'rx="8" fill="#eef3fb" stroke="#33476b" stroke-width="1.4"/>'
        )
        out.append(
            f'<text x="{centre:.0f}" y="{top + 20:.0f}" text-anchor="middle" '
            f'font-weight="bold">{stage.number}. {_esc(stage.value)}</text>'
        )
        names = loops[stage]
        for i in range(0, len(names), 3):
            line = ", ".join(names[i : i + 3])
            prefix = "stays: " if i == 0 else ""
            out.append(
                f'<text x="{centre:.0f}" y="{top + 38 + 14 * (i // 3):.0f}" '
                f'text-anchor="middle" font-size="11" fill="#555555">'
                f"{prefix}{_esc(line)}</text>"
            )
    if everywhere:
        out.append(
            f'<text x="{_MARGIN}" y="{height - 16:.0f}" fill="#33476b">'
            f"From any stage to any stage: {_esc(', '.join(everywhere))}.</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _stage_machine_page(transitions: tuple[Any, ...]) -> str:
    out = ["(ref-stage-machine)=\n# The stage machine\n"]
    out.append(
        "How a plan moves between the five stages. The diagram and the table "
        "are drawn from {py:data}`lowback.engine.transitions.TRANSITIONS`, the table "
        "the progression engine looks every move up in, so a move that is not "
        "shown here cannot happen. Each move is allowed only when its guard "
        "rules allow it.\n"
    )
    out.append("![The stage machine](stage-machine.svg)\n")
    everywhere = set(_classify(transitions)[0])
    rows = [
        (
            f"{e.source.number}. {_code(e.source.value)}",
            f"{e.target.number}. {_code(e.target.value)}",
            _code(e.action.value),
            ", ".join(_rule_ref(g) for g in e.guards),
        )
        for e in transitions
        if str(e.action.value) not in everywhere
    ]
    for action in sorted(everywhere):
        guards = dict.fromkeys(
            g for e in transitions if str(e.action.value) == action for g in e.guards
        )
        rows.append(
            ("any stage", "any stage", _code(action), ", ".join(map(_rule_ref, guards)))
        )
    out.append(_table(("From", "To", "Action", "Guards"), rows))
    return "\n".join(out)


#: Page file name (without ``.md``) to its builder, in reading order.
_PAGES: dict[str, Callable[[], str]] = {
    "muscles": _muscles_page,
    "symptoms": _symptoms_page,
    "red-flags": _red_flags_page,
    "self-checks": _self_checks_page,
    "stages": _stages_page,
    "rules": _rules_page,
    "thresholds": _thresholds_page,
    "instruments": _instruments_page,
    "sources": _sources_page,
    "stage-machine": lambda: _stage_machine_page(TRANSITIONS),
}


def pages() -> dict[str, str]:
    """Return every generated page, keyed by file name.

    The pages are MyST Markdown; the stage machine's diagram is an SVG file
    beside them.
    """
    result = {f"{name}.md": _HEADER + build() for name, build in _PAGES.items()}
    result["stage-machine.svg"] = stage_machine_svg(TRANSITIONS)
    return result


def write_pages(directory: Path = GENERATED_DIR) -> list[Path]:
    """Write the pages into *directory*, touching only files that changed."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def _on_builder_inited(_app: Any) -> None:
    write_pages()


def setup(app: Any) -> dict[str, Any]:
    """Register the generator with Sphinx."""
    app.connect("builder-inited", _on_builder_inited)
    return {"version": lowback.__version__, "parallel_read_safe": True}
