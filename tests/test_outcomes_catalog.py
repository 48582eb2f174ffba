"""The instrument catalog: complete, cited, licensed, and free of item wording."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import lowback
from lowback import RULES, SOURCES, Thresholds
from lowback.catalog.outcomes import (
    ANSWER_TYPES,
    INSTRUMENTS,
    Direction,
    Measure,
    NprsAnswers,
    OdiAnswers,
    PsfsActivity,
    PsfsAnswers,
    RmdqAnswers,
    StartBackAnswers,
)
from lowback.errors import InvalidInput

SRC = Path(lowback.__file__).parent
ROOT = Path(__file__).resolve().parent.parent

# Short fragments of the licensed (or at least not lowback's) item wording of
# each instrument, enough to catch a copied item. lowback ships keys and
# scoring only (clinical-spec 6; outcomes-fhir-store.md 1.1). Compared after
# lower-casing and keeping only letters, so a phrase split across comment
# lines or concatenated strings is still found.
ITEM_WORDING_FRAGMENTS = {
    "odi": [
        "look after myself normally",
        "lifting heavy weights off the floor",
        "sit in any chair as long as i like",
        "prevents me walking",
        "sleep is never disturbed",
        "my sex life is normal",
        "my social life is normal",
        "travel anywhere without pain",
        "pain killers give complete relief",
    ],
    "rmdq": [
        "stay at home most of the time because of my back",
        "change position frequently",
        "use a handrail to get upstairs",
        "hold on to something to get out of an easy chair",
        "get dressed more slowly than usual",
        "trouble putting on my socks",
        "more irritable and bad tempered",
        "stay in bed most of the time",
    ],
    "start_back": [
        "spread down my leg",
        "pain in the shoulder or neck",
        "only walked short distances",
        "dressed more slowly than usual",
        "not really safe for a person with a condition like mine",
        "worrying thoughts have been going through my mind",
        "never going to get any better",
        "not enjoyed all the things i used to enjoy",
        "how bothersome has your back pain been",
    ],
    "peg": [
        "best describes your pain on average",
        "interfered with your enjoyment of life",
        "interfered with your general activity",
    ],
    "psfs": [
        "identify three important activities",
        "unable to do or are having difficulty with",
    ],
}


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^a-z]+", " ", text.lower()).split())


class TestNoItemWording:
    def test_no_instrument_wording_in_src(self) -> None:
        """No fragment of any instrument's item wording appears anywhere in src/."""
        texts = {
            path: _normalised(path.read_text(encoding="utf-8"))
            for path in SRC.rglob("*")
            if path.is_file() and path.suffix in {".py", ".md", ".json", ".txt"}
        }
        assert len(texts) > 20  # the walk really reads the package
        found = [
            (measure, fragment, path.name)
            for measure, fragments in ITEM_WORDING_FRAGMENTS.items()
            for fragment in fragments
            for path, text in texts.items()
            if _normalised(fragment) in text
        ]
        assert found == []

    def test_the_check_catches_a_copied_item(self) -> None:
        """The normalisation finds a fragment split over lines and in other case."""
        copied = (
            '# My SLEEP is\n#   never disturbed by pain\nx = ("Worrying " "thoughts")'
        )
        assert "sleep is never disturbed" in _normalised(copied)
        assert _normalised("worrying thoughts") in _normalised(copied)

    def test_no_licence_ships_wording(self) -> None:
        """Every instrument's licence record says lowback ships no wording."""
        assert all(not i.licence.wording_shipped for i in INSTRUMENTS.values())
        assert INSTRUMENTS[Measure.ODI].licence.status.value == "license_required"
        assert "Keele" in INSTRUMENTS[Measure.START_BACK].licence.holder


class TestInstruments:
    def test_every_measure_is_described(self) -> None:
        """The spec's six measures each have an instrument and an answer record."""
        assert {m.value for m in Measure} == {
            "nprs", "odi", "rmdq", "psfs", "peg", "start_back",
        }  # fmt: skip
        assert set(INSTRUMENTS) == set(Measure) == set(ANSWER_TYPES)
        for measure, instrument in INSTRUMENTS.items():
            assert instrument.measure is measure
            assert ANSWER_TYPES[measure].measure is measure

    def test_item_keys_are_the_spec_keys(self) -> None:
        """Item keys are clinical-spec 6.1's, in its order, and the answer fields."""
        assert INSTRUMENTS[Measure.ODI].items == (
            "pain_intensity", "personal_care", "lifting", "walking", "sitting",
            "standing", "sleeping", "sex_life", "social_life", "travelling",
        )  # fmt: skip
        assert INSTRUMENTS[Measure.START_BACK].items == (
            "referred_leg_pain", "neck_or_shoulder_pain",
            "walks_short_distances_only", "dresses_slowly", "fear", "anxiety",
            "catastrophising", "low_mood", "bothersomeness",
        )  # fmt: skip
        for measure in (Measure.NPRS, Measure.ODI, Measure.PEG, Measure.START_BACK):
            fields = tuple(f.name for f in attrs.fields(ANSWER_TYPES[measure]))
            assert fields == INSTRUMENTS[measure].items

    def test_rules_and_sources_exist(self) -> None:
        """Each scoring rule is in the catalog, and every source is known."""
        for instrument in INSTRUMENTS.values():
            assert instrument.scoring_rule in RULES
            assert instrument.sources
            assert all(s in SOURCES for s in instrument.sources)
            assert RULES[instrument.scoring_rule].kind is lowback.RuleKind.OUTCOME

    def test_mic_is_a_threshold_with_a_source(self) -> None:
        """Each change measure names a Thresholds field that reads OM-MIC."""
        described = {info.name: info for info in Thresholds.describe()}
        expected = {"nprs": 2, "odi": 10, "rmdq": 5, "psfs": 2, "peg": 1}
        for measure, instrument in INSTRUMENTS.items():
            if measure is Measure.START_BACK:
                assert instrument.mic_threshold is None
                continue
            assert instrument.mic_threshold is not None
            info = described[instrument.mic_threshold]
            assert "OM-MIC" in info.rules
            assert info.default == expected[measure.value]
            assert info.high == info.default  # the spec's value is the upper bound
            assert info.low > 0

    def test_only_psfs_is_higher_is_better(self) -> None:
        """PSFS scores rise with function; the others fall."""
        for measure, instrument in INSTRUMENTS.items():
            better_high = instrument.direction is Direction.HIGHER_IS_BETTER
            assert better_high == (measure is Measure.PSFS)

    def test_mic_out_of_bounds_is_refused(self) -> None:
        """An app may not raise a minimal important change past the spec's value."""
        with pytest.raises(InvalidInput) as err:
            Thresholds(mic_odi=15)
        assert err.value.paths == ("$.mic_odi",)
        assert Thresholds(mic_odi=8).mic_odi == 8


class TestAnswerRecords:
    @pytest.mark.parametrize(
        ("build", "path"),
        [
            (lambda: NprsAnswers(score=-1), "$.score"),
            (
                lambda: OdiAnswers(
                    **(
                        dict.fromkeys(INSTRUMENTS[Measure.ODI].items, 0)
                        | {"sitting": 6}
                    )
                ),
                "$.sitting",
            ),
            (lambda: RmdqAnswers(ticked=(1, 25)), "$.ticked[1]"),
            (lambda: RmdqAnswers(ticked=(3, 3)), "$.ticked[1]"),
            (lambda: RmdqAnswers(ticked=(0,)), "$.ticked[0]"),
            (lambda: PsfsAnswers(activities=()), "$.activities"),
            (
                lambda: PsfsAnswers(
                    activities=(
                        PsfsActivity(activity="a", score=1),
                        PsfsActivity(activity="a", score=2),
                    )
                ),
                "$.activities[1].activity",
            ),
            (lambda: PsfsActivity(activity="a", score=11), "$.score"),
        ],
    )
    def test_bad_answers_are_refused_with_paths(
        self, build: Callable[[], object], path: str
    ) -> None:
        """Out-of-range, duplicate and empty answers raise InvalidInput at their path."""
        with pytest.raises(InvalidInput) as err:
            build()
        assert err.value.paths == (path,)

    def test_bothersomeness_range(self) -> None:
        """STarT Back bothersomeness is 0..4 or not answered."""
        items = dict.fromkeys(
            INSTRUMENTS[Measure.START_BACK].items[:8], lowback.Answer.NO
        )
        assert StartBackAnswers(**items, bothersomeness=None).bothersomeness is None
        with pytest.raises(InvalidInput) as err:
            StartBackAnswers(**items, bothersomeness=5)
        assert err.value.paths == ("$.bothersomeness",)


class TestReferencePage:
    def test_instruments_page_shows_every_instrument(self) -> None:
        """The generated page names each measure, its rule, MIC and licence holder."""
        sys.path.insert(0, str(ROOT / "docs" / "_ext"))
        try:
            import lowback_reference  # noqa: PLC0415 - lives in docs/_ext
        finally:
            sys.path.pop(0)
        page = lowback_reference.pages()["instruments.md"]
        for measure, instrument in INSTRUMENTS.items():
            assert f"`{measure.value}`" in page
            assert instrument.scoring_rule in page
            assert instrument.licence.holder in page
            for code in instrument.loinc:
                assert code.code in page
            if instrument.mic_threshold is not None:
                assert instrument.mic_threshold in page
        assert "generated/instruments" in (
            ROOT / "docs" / "reference" / "clinical.md"
        ).read_text(encoding="utf-8")
