"""The identifier generators live with the validators in anonymization.identifiers."""

from anonymization.identifiers import *  # noqa: F403
from anonymization.identifiers import __all__  # noqa: F401
