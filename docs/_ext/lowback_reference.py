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
    Dose,
    RuleKind,
    Suspicion,
    Thresholds,
    render,
)
from lowback.sources import SourceId
from lowback.symptoms import MUSCLE_LIKE_QUALITIES, NERVE_LIKE_QUALITIES

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
    RuleKind.SELF_CHECK: "Self-checks (SC-*)",
    RuleKind.REFERRAL: "Referral triggers and self-care (RT-*, SELF)",
    RuleKind.ENTRY: "Entry stage (EN-*)",
    RuleKind.PROGRESSION: "Progression (PR-*)",
    RuleKind.LOAD: "Load management (LD-*)",
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


def _dose(dose: Dose) -> str:
    parts = []
    if dose.reps:
        parts.append(f"{dose.sets} x {dose.reps} reps")
    elif dose.sets > 1:
        parts.append(f"{dose.sets} sets")
    if dose.hold_seconds:
        parts.append(f"hold {dose.hold_seconds:g} s")
    if dose.rest_seconds:
        parts.append(f"rest {dose.rest_seconds:g} s")
    if dose.effort_percent:
        parts.append(f"{dose.effort_percent} % effort")
    if dose.minutes:
        parts.append(f"{dose.minutes} min")
    return ", ".join(parts) or "1 set"


def _number(value: float) -> str:
    return f"{value:g}"


# -- the pages ----------------------------------------------------------------


def _muscles_page() -> str:
    out = [
        "(ref-muscles)=\n# Muscles and imbalances\n",
        (
            f"The seven muscle groups of {_pyref(lowback.MuscleGroup)}, from "
            "{py:data}`~lowback.anatomy.MUSCLES`, and the imbalance patterns of "
            "{py:data}`~lowback.anatomy.IMBALANCES`.\n"
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
            "Each red flag of {py:data}`~lowback.red_flags.RED_FLAGS`, the serious condition it "
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
        "\nThe cauda equina flags ({py:data}`~lowback.red_flags.CES_FLAGS`): "
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
            "{py:data}`~lowback.self_checks.FINDINGS` suggest. "
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
            "The five stages of {py:data}`~lowback.exercises.STAGE_PLANS`, each with its "
            "exercises from {py:data}`~lowback.exercises.EXERCISES` and their doses: where a "
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
                    _dose(ex.start),
                    _dose(ex.goal),
                    _dose(ex.ceiling),
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
            "Every rule of {py:data}`~lowback.rules.RULES` (ruleset "
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


def _sources_page() -> str:
    out = [
        "(ref-sources)=\n# Sources\n",
        (
            "Every source a rule, threshold, muscle, exercise or finding cites "
            "({py:data}`~lowback.sources.SOURCES`). The `article:*` sources are sections "
            f"of the source article, *{lowback.sources.ARTICLE_TITLE}*; "
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


#: Page file name (without ``.md``) to its builder, in reading order.
_PAGES: dict[str, Callable[[], str]] = {
    "muscles": _muscles_page,
    "symptoms": _symptoms_page,
    "red-flags": _red_flags_page,
    "self-checks": _self_checks_page,
    "stages": _stages_page,
    "rules": _rules_page,
    "thresholds": _thresholds_page,
    "sources": _sources_page,
}


def pages() -> dict[str, str]:
    """Return every generated page as MyST Markdown, keyed by file name."""
    return {f"{name}.md": _HEADER + build() for name, build in _PAGES.items()}


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
