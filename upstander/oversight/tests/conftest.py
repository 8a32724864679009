"""The case-workflow fixtures (a small force, personas on its roster, reports and cases made by the real actions)."""

from upstander.cases.tests.conftest import cast, make_report, opened, roster, staff_user  # noqa: F401
