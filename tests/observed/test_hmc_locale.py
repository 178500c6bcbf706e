"""An HMC whose user locale is not English, through `xclone plan` on the lab.

The HMC prints its "no results" answer in the user's locale (a Polish HMC: `Nie znaleziono
wyników.`); it has no HSCL code, and xCAT itself only knows the English text (perl-xCAT/xCAT/
PPCcli.pm at tag 2.9.2_aix_release, line 1097). A known translation reads as the English answer;
any other lone sentence stops the plan with one message naming the HMC, the command and the fix.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import Result

from tests.apply.helpers import Scenario


def _plan_with_lpar_listing(tmp_path: Path, answer: str) -> Result:
    fault = {"host": "hmc01", "command": "lssyscfg", "args": "-r lpar", "stdout": answer + "\n",
             "exit": 0}
    tmp_path.mkdir(exist_ok=True)
    return Scenario(tmp_path, faults=[fault]).plan()


def test_polish_no_results_reads_as_the_english_answer(tmp_path: Path) -> None:
    english = _plan_with_lpar_listing(tmp_path / "en", "No results were found.")
    polish = _plan_with_lpar_listing(tmp_path / "pl", "Nie znaleziono wyników.")
    assert english.exit_code == 1, english.output
    assert "cannot read output" not in english.output
    assert polish.exit_code == english.exit_code
    assert polish.output.replace(str(tmp_path / "pl"), "") == \
        english.output.replace(str(tmp_path / "en"), "")


def test_an_unknown_language_is_one_clear_error(tmp_path: Path) -> None:
    result = _plan_with_lpar_listing(tmp_path, "Aucun resultat correspondant, desole.")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    (error,) = errors
    assert "hmc01.cluster.com" in error
    assert "lssyscfg -r lpar -m Server-9117-MMA-SN10F6F3D" in error
    assert "LANG=en_US" in error and "locale to English" in error
    assert "Traceback" not in result.output
    assert "Plan:" not in result.output
