"""Scoring extraction against gold annotations (the same figures as ../shared/eval/score.py)."""

from stancemap.evaluation.scoring import Score, load_gold, score, score_errors

__all__ = ["Score", "load_gold", "score", "score_errors"]
