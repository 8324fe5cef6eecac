"""Pure analyses over claims or counted cells: no database, no files.

Each function takes a :class:`~stancemap.analyze.cells.Basis` (counted cells and quotes, as
the store's aggregation queries return them) or a plain list of claims.
"""

from stancemap.analyze.cells import Basis, Cell, Evidence, basis_from_claims
from stancemap.analyze.coalitions import Coalitions, coalitions
from stancemap.analyze.compare import Comparison, compare
from stancemap.analyze.divergence import Divergence, divergence
from stancemap.analyze.networks import network
from stancemap.analyze.positions import Position, matrix, positions
from stancemap.analyze.timeline import Timeline, timeline

__all__ = [
    "Basis", "Cell", "Coalitions", "Comparison", "Divergence", "Evidence", "Position", "Timeline",
    "basis_from_claims", "coalitions", "compare", "divergence", "matrix", "network", "positions", "timeline",
]
