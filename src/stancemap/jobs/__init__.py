"""Drivers that join the layers: ingest files into a store, extract stored articles.

A job reads from ``ingest`` or the ``store``, runs the pure ``extract`` stage, and
writes back through the ``store``; the faces (CLI, web) call these and nothing lower.
"""

from stancemap.jobs.extraction import ExtractionReport, extract_store, extract_stream
from stancemap.jobs.ingestion import group_reprints, ingest_paths

__all__ = ["ExtractionReport", "extract_store", "extract_stream", "group_reprints", "ingest_paths"]
