"""The types shared by every layer: Article, Actor, Role, Issue, Codebook, Claim, Stance."""

from stancemap.model.types import (
    Actor,
    Article,
    Claim,
    Codebook,
    Issue,
    Role,
    Stance,
)

__all__ = ["Actor", "Article", "Claim", "Codebook", "Issue", "Role", "Stance"]
