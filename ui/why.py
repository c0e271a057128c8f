"""Why an answer was refused or given as the closest provision: the answerability decision (its band, its score
against the model's thresholds, and its signals in plain words) as a small disclosure under the answer."""

from __future__ import annotations

from assistant.answerability import Band, Decision, Model
from ui.render import esc
from ui.text import UiText

# the signals shown, in this order; the others are the retrieval's finer measurements
SHOWN = ("dense_top", "coverage_top3", "unknown_name", "nothing_known", "kind_missing", "conversation_share")


def why_html(decision: Decision | None, model: Model | None, t: UiText) -> str:
    """A closed <details> under a refusal or a closest-provision answer; '' for an answered question."""
    if decision is None or decision.band == Band.ANSWERED:
        return ""
    band = t("chat.closest") if decision.band == Band.CLOSEST else t("chat.not_found")
    score = (t("why.score", band=band, score=_number(decision.score, t), answer_from=_number(model.answer_from, t),
               refuse_below=_number(model.refuse_below, t)) if model else t("why.score_only", band=band,
                                                                             score=_number(decision.score, t)))
    values = dict(decision.features)
    lines = [_signal(name, values[name], model, t) for name in SHOWN if _shown(name, values)]
    body = "".join(f"<li>{esc(line)}</li>" for line in lines) if lines else f"<li>{esc(t('why.nothing'))}</li>"
    return (f"<details class='why'><summary>{esc(t('why.summary'))}</summary><p>{esc(score)}</p>"
            f"<p>{esc(t('why.signals'))}</p><ul>{body}</ul></details>")


def _shown(name: str, values: dict[str, float]) -> bool:
    if name not in values:
        return False
    if name == "kind_missing":
        return bool(values.get("kind_asked"))
    return name in ("dense_top", "coverage_top3") or values[name] > 0


def _signal(name: str, value: float, model: Model | None, t: UiText) -> str:
    """One signal in words, with which way it pushed the score (its share of the fitted model's sum, against an
    average question)."""
    shown = {"dense_top": _number(value, t), "coverage_top3": t("why.percent", n=round(100 * value)),
             "unknown_name": str(int(value)), "conversation_share": t("why.percent", n=round(100 * min(value, 1.0)))}
    words = t(f"why.{name}", value=shown.get(name, ""))
    if model is None or name not in model.scalars:
        return words
    i = model.scalars.index(name)
    push = model.weights[i] * (value - model.mean[i]) / model.scale[i]
    return f"{words} – {t('why.for' if push > 0 else 'why.against')}"


def _number(value: float, t: UiText) -> str:
    return f"{value:.2f}".replace(".", t("overview.decimal_sep"))
