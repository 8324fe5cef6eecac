"""Articles -> Claims. Pure: no database, no files, no network.

``Extractor(codebook, kb)`` holds a spaCy pipeline built once; ``extract(article)``
returns the article's claims. It pickles small (it rebuilds its pipeline where it is
unpickled), so it can be shipped to Dask workers.
"""

from stancemap.extract.pipeline import EXTRACTOR_NAME, EXTRACTOR_VERSION, Extractor

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "Extractor"]
