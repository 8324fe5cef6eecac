"""The extractor: a driver that reads like the pipeline's story (see the stage modules)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from stancemap.model import Article, Claim, Codebook, Stance

EXTRACTOR_NAME = "stancemap.rules"
EXTRACTOR_VERSION = "0.1.0"


class Extractor:
    """Articles in, claims out. Build once per process; ``extract`` is pure."""

    name = EXTRACTOR_NAME
    version = EXTRACTOR_VERSION

    def __init__(self, codebook: Codebook, kb=None):
        self.codebook = codebook
        self.kb = kb

    def __reduce__(self):
        return (type(self), (self.codebook, self.kb))

    def extract(self, article: Article) -> list[Claim]:
        return next(iter(self.pipe([article])))[1]

    def pipe(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Claim]]]:
        # TEMPORARY naive baseline, replaced by the spaCy pipeline.
        import re

        for a in articles:
            out = []
            for m in re.finditer(r"[^.!?]+[.!?]", a.text):
                s = m.group(0)
                st = len(m.group(0)) - len(s.lstrip())
                s = s.strip()
                for act in self.codebook.actors:
                    if act.name in s:
                        for iss in self.codebook.issues:
                            if iss.label.split()[0].lower() in s.lower():
                                out.append(Claim(article_id=a.id, date=a.date, actor=act.id, issue=iss.id,
                                                 stance=Stance.SUPPORT, evidence=s, start=m.start() + st,
                                                 end=m.start() + st + len(s), confidence=0.3,
                                                 extractor=self.name, extractor_version=self.version))
            yield a, list({(c.actor, c.issue, c.stance): c for c in out}.values())
