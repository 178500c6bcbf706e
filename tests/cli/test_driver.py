"""The spec names its driver and the plan document carries it (issue 13 item 7; CONTRACT.md
section 11): `driver: xcat` is the default, so every existing spec plans as before, digest
included; a saved plan is read back with the kinds of the driver it names, and a plan naming a
driver this xclone lacks is refused."""

from __future__ import annotations

import json

import pytest

from tests.apply.helpers import Scenario
from tests.cli.helpers import assert_refused, document, rewrite, saved_plan
from xclone.drivers import registry


def _json_plan(seed: Scenario) -> dict[str, object]:
    result = seed.plan("--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_the_plan_document_names_the_driver_and_naming_the_default_changes_nothing(
        seed: Scenario) -> None:
    implicit = _json_plan(seed)
    assert implicit["driver"] == "xcat"
    seed.write_spec(driver="xcat")
    assert _json_plan(seed) == implicit  # spec digest included: the default is left out of it


@pytest.mark.parametrize(("name", "message"), [
    ("puppet", "the plan names the driver 'puppet': unknown driver 'puppet': known drivers are "
               "nim, xcat"),
])
def test_a_saved_plan_of_a_driver_this_xclone_lacks_is_refused(seed: Scenario, name: str,
                                                               message: str) -> None:
    planfile, _ = saved_plan(seed)
    data = document(planfile)
    assert data["plan"]["driver"] == "xcat"
    data["plan"]["driver"] = name
    rewrite(planfile, data, fresh_digest=True)
    assert_refused(seed, message)


def test_the_registry_resolves_xcat_by_name_and_its_kinds_by_value() -> None:
    driver = registry.driver("xcat")
    assert driver.name == "xcat" and registry.DEFAULT == "xcat"
    assert driver.kind("mkdef-z").value == "mkdef-z"
    with pytest.raises(ValueError):
        driver.kind("mkdef-zz")
