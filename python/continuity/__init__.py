"""continuity: business impact analysis, RTO/RPO, recovery planning and incident loss modelling."""
from __future__ import annotations

from . import errors
from ._core import __version__

__all__ = ["errors", "__version__"]
