# The queue pages list cases: the cases tests' own case fixture serves here too.
from tests.cases.conftest import open_case  # noqa: F401
