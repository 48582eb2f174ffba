"""Every sentence lowback shows a person, keyed by a stable message ID.

Logic never holds wording: results carry message IDs, and an app renders them
with :func:`render`, from :data:`MESSAGES` or from its own translated catalog
with the same keys (:func:`missing_from` tells which keys a translation
lacks). The wording is lowback's own; the facts behind it come from the
sources named where each message is used.

>>> render("mindset.pain_not_damage")
'Pain is a signal to adjust, not proof that something is damaged.'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

__all__ = ["MESSAGES", "missing_from", "render"]

_MESSAGES: dict[str, str] = {
    # Safety net: shown on every result.
    "safety_net.general": (
        "Get emergency care straight away if you notice new trouble controlling "
        "or feeling your bladder or bowel, numbness between your legs or around "
        "your bottom, or weakness or numbness in both legs. See a doctor promptly "
        "for fever or feeling very unwell, unexplained weight loss, pain after a "
        "fall or accident, or leg weakness or numbness that is getting worse. "
        "This guidance does not replace an examination."
    ),
    "safety_net.emergency": (
        "Go to an emergency department now, or call your local emergency number. "
        "Do not start or continue any exercises."
    ),
    "safety_net.urgent": (
        "Get a medical assessment today. Do not start the exercise plan until a "
        "clinician has seen you."
    ),
    "safety_net.medical_review": (
        "Book a doctor's appointment within the next few days. Until then, use only "
        "the resting positions and short, easy walks."
    ),
    "safety_net.physio_referral": (
        "You can start the plan, and a physiotherapist can help you get more from "
        "it. Book an appointment when you can."
    ),
    "safety_net.self_care": (
        "Most back pain that comes from muscles settles with time and the right "
        "kind of movement. Stop and seek help if any warning sign appears."
    ),
    # Shown instead of the self-care safety net when the pattern is not
    # muscle-dominant (spec 5.1: never say "comes from muscles" otherwise).
    "safety_net.self_care.unclear": (
        "Most back pain settles with time and the right kind of movement. Stop "
        "and seek help if any warning sign appears."
    ),
    # Added when cancer history is yes or not sure (spec 5.1; NICE CG75).
    "safety_net.mscc": (
        "Because of a history of cancer (or if you are not sure), get care now, "
        "at an emergency department or by calling your local emergency number, "
        "if you notice new weakness or numbness in a leg, difficulty walking, "
        "back pain at night that stops you sleeping, or new trouble with your "
        "bladder or bowel."
    ),
    # Dispositions.
    "disposition.emergency": "Seek emergency care now.",
    "disposition.urgent": "Get a medical assessment today.",
    "disposition.medical_review": "See a doctor within days, before loading your back.",
    "disposition.physio_referral": "Self-care, with a physiotherapist's help.",
    "disposition.self_care": "A staged self-care plan is a good fit.",
    # Stage goals.
    "stage.calm_and_unload.goal": (
        "Ease the guarding so your back muscles can start to move freely again."
    ),
    "stage.restore_mobility.goal": (
        "Bring back easy, comfortable movement now that the pain has calmed a little."
    ),
    "stage.strengthen_and_coordinate.goal": (
        "Teach your trunk, core and hips to share the load with your back muscles."
    ),
    "stage.integrate.goal": (
        "Carry what you have built into lifting, desk work and everyday activity."
    ),
    "stage.maintain.goal": (
        "Keep your back strong and adaptable with a small, regular routine."
    ),
    # Exercises: how to do each one.
    "exercise.legs_up_rest.how": (
        "Rest on your back and prop your calves up on a seat or couch so that hips "
        "and knees each bend to roughly 90 degrees; let your back go heavy."
    ),
    "exercise.side_lying_pillow.how": (
        "Rest on one side and keep a pillow between knees and ankles, which holds "
        "your pelvis level."
    ),
    "exercise.pelvic_tilt.how": (
        "Lying on your back with knees bent, rock your pelvis gently forwards and "
        "backwards, only as far as is comfortable."
    ),
    "exercise.knee_rolls.how": (
        "Lying on your back with knees bent, let them sway slowly to one side and "
        "then the other, only as far as feels safe."
    ),
    "exercise.diaphragmatic_breathing.how": (
        "Rest one hand on your chest and one on your belly. Breathe in low into "
        "your belly and lower ribs, then breathe out slowly and let your back soften."
    ),
    "exercise.isometric_hold.how": (
        "Choose the direction that feels a little easier. Push into it gently, at "
        "about a fifth to a third of your full effort, without moving. Hold, rest, "
        "and repeat."
    ),
    "exercise.isometric_hold.forward": (
        "Your easier direction is a supported hip hinge: rest your hands on a "
        "kitchen counter and fold a little at the hips."
    ),
    "exercise.isometric_hold.backward": (
        "Your easier direction is a very small backward lean with your hands "
        "supporting your lower back."
    ),
    "exercise.short_walks.how": "Take short, easy walks several times a day.",
    "exercise.cat_camel.how": (
        "On hands and knees, slowly round your back up and then let it dip, in time "
        "with your breathing."
    ),
    "exercise.knee_to_chest_single.how": (
        "Lying on your back, draw one knee towards your chest and hold, then "
        "change legs."
    ),
    "exercise.knee_to_chest_double.how": (
        "Lying on your back, draw both knees towards your chest together and hold."
    ),
    "exercise.hip_flexor_stretch.how": (
        "Kneel on one knee with the other foot in front. Ease your pelvis forwards "
        "until the front of that hip stretches gently."
    ),
    "exercise.hamstring_stretch.how": (
        "Lying on your back, raise one straight leg, supported by a towel or strap "
        "behind the thigh, until you feel a gentle stretch at the back of the thigh."
    ),
    "exercise.abdominal_brace.how": (
        "Lying on your back with knees bent, breathe in gently; as you breathe out, "
        "draw your lower tummy in lightly, as if closing a snug zip."
    ),
    "exercise.glute_bridge.how": (
        "Lying on your back with knees bent, press through your heels and lift your "
        "hips until shoulders, hips and knees line up. Hold, then lower slowly."
    ),
    "exercise.bird_dog.how": (
        "On hands and knees with a light brace, reach one arm forwards and the "
        "opposite leg back. Hold, return, and swap sides."
    ),
    "exercise.clamshell.how": (
        "On one side, bend hips and knees and keep your feet together. With the "
        "feet still touching, raise the upper knee a little."
    ),
    "exercise.back_extension.how": (
        "Lie face down with a folded towel under your forehead. Squeeze your "
        "buttocks, brace lightly, and lift your chest a few centimetres."
    ),
    "exercise.hip_hinge_lifting.how": (
        "When you lift, stand with feet a little apart, keep the load close, bend "
        "at the hips and knees, brace lightly as you lift, and relax as you put it down."
    ),
    "exercise.desk_breaks.how": (
        "Change position at least every 25 to 30 minutes; swap between sitting and "
        "standing if you can, and take a short walk or stretch."
    ),
    "exercise.regular_activity.how": (
        "Do some moderate activity you enjoy, such as walking, swimming or cycling, "
        "on most days."
    ),
    "exercise.neutral_sleep_position.how": (
        "Sleep with ears, shoulders and hips roughly in line; on your side, keep a "
        "pillow between your knees."
    ),
    # Cues.
    "cue.smooth_not_stretch": "Aim for easy, smooth movement, not a big stretch.",
    "cue.within_comfort": "Stay within comfort; stop short of sharp pain.",
    "cue.breathe_slowly": "Breathe slowly and let your back soften as you breathe out.",
    "cue.stretch_front_of_hip": "The stretch belongs in the front of your hip; your low back should feel nothing.",
    "cue.gentle_firmness": "Aim for light tension around your waist; keep breathing and never brace hard.",
    "cue.buttocks_do_the_work": "Let your buttocks do most of the work; your low back should feel supported, not pinched.",
    "cue.hips_level": "Keep your hips level, without twisting or sagging.",
    "cue.feet_together": "Keep your feet touching as the knee lifts.",
    "cue.neck_relaxed": "Keep your neck long and relaxed.",
    "cue.load_close": "Keep the load close to your body.",
    "cue.move_often": "No single position is wrong; staying in one for too long is the problem.",
    "cue.light_effort": "Keep the effort light: about a fifth to a third of your maximum.",
    # Cautions.
    "caution.no_end_range_stretch": (
        "While your back is guarded, skip long stretches at the end of your range; "
        "they can make the muscles guard harder."
    ),
    "caution.leg_pain_knee_to_chest": "Skip this one if it clearly makes leg pain worse.",
    "caution.stop_if_leg_pain": (
        "Stop if your symptoms spike or you feel sharp, shooting pain down a leg, "
        "and go back to the resting positions and short walks."
    ),
    "caution.stop_sharp_pain": "Stop if you feel sharp pain.",
    # Self-checks.
    "self_check.stop_rule": (
        "Stop any check straight away if it brings sharp or shooting pain, strong "
        "leg symptoms, dizziness, or you feel unwell."
    ),
    "self_check.not_an_exam": (
        "These checks give clues about your muscles; they are not a medical "
        "examination and cannot rule anything out."
    ),
    # Mindset and prevention.
    "mindset.pain_not_damage": "Pain is a signal to adjust, not proof that something is damaged.",
    "mindset.movement_is_medicine": (
        "Movement, built up gradually and sensibly, usually helps muscles recover."
    ),
    "mindset.trainable": (
        "Your back is not fragile: strong, well-coordinated muscles are on your side."
    ),
    "mindset.early_warning": (
        "A little tightness or tiredness means ease off and start again, nothing to fear."
    ),
    "prevention.build_gradually": (
        "Build up training and workload gradually, especially after time off."
    ),
    "prevention.rotate_tasks": "Rotate tasks so you are not bending or lifting the same way for hours.",
    "prevention.sleep": "Aim for regular, good-quality sleep so your tissues can recover.",
    "prevention.rest_when_tired": (
        "When you are very tired or run down, hold off on heavy lifting or new, demanding activities."
    ),
    "prevention.stress": (
        "Stress raises muscle tension; slow breathing, relaxation and activities "
        "you enjoy help your back too."
    ),
    # Progression and load management (lowback.engine.progression, lowback.engine.prescription).
    "progression.started": "Your plan has started. Log each session and a short daily check-in.",
    "progression.no_plan": (
        "No exercise plan can start until a clinician has assessed you. Follow the "
        "advice on where to get care."
    ),
    "progression.paused_red_flag": (
        "Your plan is on hold because of a warning sign. Do no exercises and get "
        "medical care as advised below."
    ),
    "progression.paused_review": (
        "Your plan is on hold until a clinician has checked you. Until then, use "
        "only the resting positions and short, easy walks."
    ),
    "progression.paused": "Your plan stays on hold until a clinician clears it.",
    "progression.paused_emergency": (
        "This could be an emergency. Do no exercises. Get emergency care now: call "
        "your local emergency number or go to an emergency department."
    ),
    "progression.paused_urgent": (
        "Do no exercises. Get a same-day assessment today from a doctor or an "
        "urgent care service."
    ),
    "progression.reset_nerve": (
        "A new nerve symptom means going back to the first stage and pausing the "
        "plan until a clinician has checked you."
    ),
    "progression.resumed": "A clinician has cleared you: your plan continues.",
    "progression.override": "A clinician has set the stage of your plan.",
    "progression.advanced": "Well done: your back has earned the next stage.",
    "progression.regressed": (
        "That was a flare. Step back one stage and use lighter doses for now; "
        "flares are common and usually settle."
    ),
    "progression.hold": "Stay with this stage for now; keep doing what is working.",
    "progression.outcome_recorded": "Your answers are recorded; they help show how your back is doing over time.",
    "progression.outcome_not_scored": (
        "Some answers were missing, so this questionnaire could not be scored. "
        "Please answer every item next time."
    ),
    "progression.outcome_review": (
        "Your answers suggest your back is not improving as hoped. "
        "Please book a review with a physiotherapist; keep to your current stage until then."
    ),
    "progression.hold_no_increase": (
        "Keep today's doses as they are: no increase until your pain is calm and "
        "settled, you are rested, and you are back into a routine."
    ),
    "progression.iso_dropped": (
        "Skip the gentle holding exercise for now. Use the resting positions and "
        "short walks instead."
    ),
    "load.monitor": (
        "During exercise, pain up to 3 out of 10 is fine and up to 5 is acceptable, "
        "as long as it has settled by the next morning."
    ),
    "load.desk_breaks": (
        "Change position regularly, at least as often as the interval shown, and do "
        "not stay in one position for longer."
    ),
}

#: The default (English) message catalog. Read-only.
MESSAGES: Mapping[str, str] = MappingProxyType(_MESSAGES)


def render(message_id: str, catalog: Mapping[str, str] = MESSAGES) -> str:
    """Return the text of *message_id* from *catalog*.

    Raises:
        KeyError: *message_id* is not in *catalog*; a translated catalog must
            cover every ID lowback uses (see :func:`missing_from`).
    """
    return catalog[message_id]


def missing_from(
    catalog: Mapping[str, str], ids: Iterable[str] = MESSAGES
) -> frozenset[str]:
    """Return the message IDs of *ids* that *catalog* lacks.

    >>> sorted(missing_from({"mindset.trainable": "..."}, ["mindset.trainable", "cue.hips_level"]))
    ['cue.hips_level']
    """
    return frozenset(i for i in ids if i not in catalog)
