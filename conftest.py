# The project's shared fixtures live with the package; this makes them visible to tests/ too.
from kotacerdas.conftest import *  # noqa: F401,F403
