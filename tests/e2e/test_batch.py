"""End-to-end tests of `sqlmill batch`: estates built in tmp_path (the repository's example
retail schema, small hand-written units, generated slow units) run through the real CLI,
in-process and with --server against the real sqlmill-server.

What is checked: the per-unit layout and summary, exit codes, JSON lines on stdout,
byte-identical reruns (result.json's timings_ms aside), Kubernetes Indexed Job sharding into
one shared output folder (one shard after another and all at once), resume after SIGKILL,
SIGTERM (no new unit starts, the rest is left for a retry), input errors, usage errors,
YAML and JSON-lines manifests with per-unit targets and sqlcmd variables, and an
unreachable server (exit 4, nothing recorded as done).

Every subprocess and poll has a bound (WAIT); the file runs in seconds.
"""

import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from testlib import REPO, SHARED, binary

sys.path.insert(0, os.path.join(REPO, "bench", "memory"))
from gen_script import realistic_table  # noqa: E402

RETAIL = os.path.join(REPO, "examples", "sqlserver", "retail")
TARGETS = ("snowflake", "postgres")
WAIT = 60.0  # seconds: the bound on every run and every poll
SHARD_ENV = ("JOB_COMPLETION_INDEX", "SQLMILL_SHARD_COUNT")
UNKNOWN_TARGET = ("unknown target 'snowflak' (expected one of bigquery, databricks, postgres, "
                  "redshift, snowflake, sqlserver)")


# --- helpers ---------------------------------------------------------------------------------


def batch_env(extra=None):
    """The environment for a run: ours, without shard variables unless given."""
    env = {k: v for k, v in os.environ.items() if k not in SHARD_ENV}
    env.update(extra or {})
    return env


def batch(*args, env=None, timeout=WAIT):
    """Runs `sqlmill batch ARGS...` to the end (bounded) and returns the CompletedProcess."""
    return subprocess.run([binary("sqlmill"), "batch", *map(str, args)], capture_output=True,
                          text=True, env=batch_env(env), timeout=timeout)


def start_batch(*args, env=None):
    """Starts `sqlmill batch ARGS...` without waiting; stdout and stderr are pipes."""
    return subprocess.Popen([binary("sqlmill"), "batch", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=batch_env(env))


def json_lines(stdout):
    """The per-unit JSON lines a non-tty run prints."""
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def unit_dirs(out):
    """The unit folders of an output folder (not .partial, not the summaries)."""
    return sorted(e.name for e in os.scandir(out) if e.is_dir() and not e.name.startswith("."))


def completed_units(out):
    """The units whose result.json is in place (outside .partial)."""
    if not os.path.isdir(out):
        return []
    return [u for u in unit_dirs(out) if os.path.exists(os.path.join(out, u, "result.json"))]


def assert_no_half_units(out):
    """Every DIR/<unit> that exists is complete: only .partial may hold unfinished work."""
    for unit in unit_dirs(out):
        assert os.path.exists(os.path.join(out, unit, "result.json")), \
            f"{unit} is in place without result.json: a half-written unit outside .partial"


def result_mtimes(out, units):
    return {u: os.stat(os.path.join(out, u, "result.json")).st_mtime_ns for u in units}


def outputs(out, units=None):
    """{relative path: content} of every unit's files; result.json parsed, without timings_ms."""
    files = {}
    for unit in units if units is not None else unit_dirs(out):
        base = os.path.join(out, unit)
        for root, _dirs, names in os.walk(base):
            for name in names:
                path = os.path.join(root, name)
                rel = os.path.relpath(path, out).replace(os.sep, "/")
                with open(path, "rb") as f:
                    content = f.read()
                if name == "result.json" and root == base:
                    content = json.loads(content)
                    content.pop("timings_ms", None)
                files[rel] = content
    return files


def assert_same_outputs(actual_dir, expected_dir, units=None):
    actual, expected = outputs(actual_dir, units), outputs(expected_dir, units)
    assert sorted(actual) == sorted(expected), "the same files"
    different = [path for path in sorted(expected) if actual[path] != expected[path]]
    assert different == [], f"files that differ from {expected_dir}: {different[:10]}"


def wait_until(predicate, what, proc=None, timeout=WAIT):
    """Polls predicate until it holds (bounded); fails if proc ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the run ended ({proc.returncode}) before {what}")
        time.sleep(0.01)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def finish(proc, timeout=WAIT):
    """Waits for a started run (bounded; killed on timeout) and returns (stdout, stderr)."""
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate(timeout=10)
        raise


def sql_bytes(unit_dir):
    """The bytes of a folder unit's *.sql files (what shards are balanced by)."""
    total = 0
    for root, _dirs, names in os.walk(unit_dir):
        total += sum(os.path.getsize(os.path.join(root, n)) for n in names if n.lower().endswith(".sql"))
    return total


def expected_shards(sizes, count):
    """batch_plan.h's assignment: largest first (then by name) to the least-loaded shard (lowest index on ties)."""
    load, shards = [0] * count, [[] for _ in range(count)]
    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        shard = load.index(min(load))
        load[shard] += max(sizes[name], 1)
        shards[shard].append(name)
    return [sorted(s) for s in shards]


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content.encode("utf-8") if isinstance(content, str) else content)


# --- estates ---------------------------------------------------------------------------------

TINY_SQL = ("CREATE TABLE dbo.Item (Id int NOT NULL PRIMARY KEY, Name nvarchar(50) NULL);\n"
            "GO\n")

NESTED_A = """CREATE SCHEMA crm;
GO
CREATE TABLE crm.Account (
    AccountId int NOT NULL CONSTRAINT PK_Account PRIMARY KEY,
    Name nvarchar(100) NOT NULL,
    Region char(2) NOT NULL CONSTRAINT CK_Account_Region CHECK (Region IN ('EU', 'US'))
);
GO
"""

NESTED_B = """CREATE TABLE crm.Contact (
    ContactId int NOT NULL CONSTRAINT PK_Contact PRIMARY KEY,
    AccountId int NOT NULL CONSTRAINT FK_Contact_Account REFERENCES crm.Account (AccountId),
    Email nvarchar(254) NULL
);
GO
CREATE INDEX IX_Contact_AccountId ON crm.Contact (AccountId);
GO
"""

UTF16_SQL = ("CREATE TABLE dbo.Wide (Id int NOT NULL PRIMARY KEY, Label nvarchar(20) NULL);\r\n"
             "GO\r\n")

# Unit name → status in the main estate with TARGETS and the default --fail-on error.
MAIN_STATUS = {"crm": "clean", "generated": "clean", "retail": "findings", "tiny": "clean",
               "wide": "clean"}


def build_main_estate(root):
    """Five units: the example retail schema (error-level findings), a hand-written one-table
    unit, a unit whose scripts sit in nested folders, 40 generated tables and a UTF-16 unit;
    plus a folder without scripts and a hidden folder, which are not units."""
    for name in sorted(os.listdir(RETAIL)):
        if name.endswith(".sql"):
            write(os.path.join(root, "retail", name), open(os.path.join(RETAIL, name), "rb").read())
    write(os.path.join(root, "tiny", "tiny.sql"), TINY_SQL)
    write(os.path.join(root, "crm", "a", "account.sql"), NESTED_A)
    write(os.path.join(root, "crm", "b", "deep", "contact.SQL"), NESTED_B)
    write(os.path.join(root, "crm", "notes.txt"), "not SQL: ignored\n")
    write(os.path.join(root, "generated", "customers.sql"),
          "".join(realistic_table(i) for i in range(40)))
    write(os.path.join(root, "wide", "wide.sql"), "\ufeff".encode("utf-16-le") + UTF16_SQL.encode("utf-16-le"))
    write(os.path.join(root, "docs", "README.md"), "# no scripts here\n")
    write(os.path.join(root, ".git", "x.sql"), TINY_SQL)
    return root


SLOW_UNITS = [f"slow{i}" for i in range(5)]


def build_slow_estate(root):
    """Five units of 250 generated tables each (about half a second apiece on one core)."""
    for i, unit in enumerate(SLOW_UNITS):
        write(os.path.join(root, unit, "customers.sql"),
              f"-- unit {i}\n" + "".join(realistic_table(t) for t in range(250)))
    return root


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    return build_main_estate(str(tmp_path_factory.mktemp("estate")))


@pytest.fixture(scope="module")
def reference(estate, tmp_path_factory):
    """The unsharded in-process run over the main estate: (out dir, CompletedProcess)."""
    out = str(tmp_path_factory.mktemp("reference") / "out")
    proc = batch(estate, "--out", out, *target_flags())
    return out, proc


@pytest.fixture(scope="module")
def slow_estate(tmp_path_factory):
    return build_slow_estate(str(tmp_path_factory.mktemp("slow-estate")))


@pytest.fixture(scope="module")
def slow_reference(slow_estate, tmp_path_factory):
    """A clean, uninterrupted run over the slow estate."""
    out = str(tmp_path_factory.mktemp("slow-reference") / "out")
    proc = batch(slow_estate, "--out", out, "--target", "snowflake", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    return out


def target_flags(targets=TARGETS):
    return [arg for t in targets for arg in ("--target", t)]


# --- an unsharded run ------------------------------------------------------------------------


def test_unsharded_run_layout_statuses_summary_and_exit_code(reference):
    out, proc = reference
    # 1: validator findings at --fail-on (default error) in retail; no input errors, nothing left.
    assert proc.returncode == 1, proc.stderr
    assert unit_dirs(out) == sorted(MAIN_STATUS), "docs/ (no scripts) and .git/ are not units"

    for unit, status in MAIN_STATUS.items():
        base = os.path.join(out, unit)
        result = read_json(os.path.join(base, "result.json"))
        assert result["unit"] == unit and result["status"] == status, result
        assert result["parse"]["errors"] == 0 and result["parse"]["diagnostics"] == []
        assert sorted(result["targets"]) == sorted(TARGETS)
        assert set(result["timings_ms"]) == {"parse", *TARGETS}
        catalog = read_json(os.path.join(base, "catalog.json"))
        assert catalog["databases"], f"{unit}: an empty catalog"
        for target in TARGETS:
            tdir = os.path.join(base, target)
            report = read_json(os.path.join(tdir, "report.json"))
            sarif = read_json(os.path.join(tdir, "report.sarif"))
            assert sarif["version"] == "2.1.0"
            assert len(sarif["runs"][0]["results"]) == len(report.get("findings", []))
            counts = result["targets"][target]
            summary = report["summary"]
            assert counts["findings"] == {"error": summary.get("errors", 0),
                                          "warning": summary.get("warnings", 0),
                                          "info": summary.get("infos", 0)}
            assert counts["passed"] == report.get("passed", False)
            assert counts["passed"] == (status == "clean")
            compile_json = read_json(os.path.join(tdir, "compile.json"))
            assert compile_json["compile"]["nodes"] == counts["compile"]["nodes"] > 0
            assert compile_json["compile"].get("nodesFailed", 0) == counts["compile"]["failed"] == 0
            assert compile_json["summary"]["tables"] == counts["tables"]
            assert os.path.exists(os.path.join(tdir, "dbt", "dbt_project.yml"))
            assert os.path.exists(os.path.join(tdir, "dbt", "migration_report.json"))
            models = [n for _r, _d, names in os.walk(os.path.join(tdir, "dbt", "models"))
                      for n in names if n.startswith("stg_") and n.endswith(".sql")]
            assert len(models) == counts["tables"]

    # The retail unit's error-level finding is what makes it "findings".
    retail = read_json(os.path.join(out, "retail", "result.json"))
    assert all(t["findings"]["error"] > 0 for t in retail["targets"].values())
    assert retail["files"] == 3 and retail["bytes"] == sql_bytes(RETAIL)

    # Nested folders: every *.sql (any case) in path order, named relative to the estate.
    crm = read_json(os.path.join(out, "crm", "result.json"))
    assert crm["files"] == 2 and crm["targets"]["snowflake"]["tables"] == 2
    spans = json.dumps(read_json(os.path.join(out, "crm", "catalog.json")))
    assert '"file": "crm/a/account.sql"' in spans and '"file": "crm/b/deep/contact.SQL"' in spans
    assert read_json(os.path.join(out, "generated", "result.json"))["targets"]["postgres"]["tables"] == 40
    assert read_json(os.path.join(out, "wide", "result.json"))["targets"]["snowflake"]["tables"] == 1

    summary = read_json(os.path.join(out, "summary.json"))
    assert summary["shard"] is None and summary["interrupted"] is False
    assert summary["targets"] == list(TARGETS)
    assert [u["unit"] for u in summary["units"]] == sorted(MAIN_STATUS)
    assert {u["unit"]: u["status"] for u in summary["units"]} == MAIN_STATUS
    assert summary["totals"] == {"clean": 4, "findings": 1}
    assert not os.listdir(os.path.join(out, ".partial")), "nothing left half-built"

    lines = json_lines(proc.stdout)
    assert sorted(line["unit"] for line in lines) == sorted(MAIN_STATUS), "one line per unit"
    assert {line["unit"]: line["status"] for line in lines} == MAIN_STATUS
    assert sorted(line["done"] for line in lines) == list(range(1, 6))
    assert all(line["total"] == 5 and line["seconds"] >= 0 and "error" not in line for line in lines)
    assert "summary in" in proc.stderr


def test_fail_on_sets_the_threshold_for_exit_1(tmp_path):
    # tiny has only an info-level finding on Snowflake (its primary key is not enforced).
    estate = str(tmp_path / "estate")
    write(os.path.join(estate, "tiny", "tiny.sql"), TINY_SQL)
    clean = batch(estate, "--out", tmp_path / "a", "--target", "snowflake")
    assert clean.returncode == 0, clean.stderr
    assert read_json(tmp_path / "a" / "tiny" / "result.json")["status"] == "clean"
    strict = batch(estate, "--out", tmp_path / "b", "--target", "snowflake", "--fail-on", "info")
    assert strict.returncode == 1, strict.stderr
    assert read_json(tmp_path / "b" / "tiny" / "result.json")["status"] == "findings"


# --- determinism -----------------------------------------------------------------------------


def test_a_forced_rerun_elsewhere_gives_the_same_bytes(estate, reference, tmp_path):
    ref_out, _ = reference
    out = str(tmp_path / "again")
    proc = batch(estate, "--out", out, *target_flags(), "--force", "--jobs", "1")
    assert proc.returncode == 1, proc.stderr
    assert_same_outputs(out, ref_out)
    for unit in MAIN_STATUS:
        with open(os.path.join(out, unit, "catalog.json"), "rb") as a, \
                open(os.path.join(ref_out, unit, "catalog.json"), "rb") as b:
            assert a.read() == b.read(), f"{unit}/catalog.json is not byte-identical"

    # --force into the same folder replaces every unit with the same content.
    before = result_mtimes(out, MAIN_STATUS)
    forced = batch(estate, "--out", out, *target_flags(), "--force")
    assert forced.returncode == 1, forced.stderr
    assert len(json_lines(forced.stdout)) == len(MAIN_STATUS), "--force redoes every unit"
    assert all(result_mtimes(out, [u])[u] != before[u] for u in MAIN_STATUS)
    assert_same_outputs(out, ref_out)
    assert read_json(os.path.join(out, "summary.json")) == read_json(os.path.join(ref_out, "summary.json"))


def test_the_estate_location_does_not_change_the_outputs(estate, reference, tmp_path):
    # A Kubernetes pod mounts the estate elsewhere (/estate): names are relative to it.
    moved = str(tmp_path / "mounted" / "elsewhere")
    shutil.copytree(estate, moved)
    out = str(tmp_path / "out")
    proc = batch(moved, "--out", out, *target_flags())
    assert proc.returncode == 1, proc.stderr
    assert_same_outputs(out, reference[0])


# --- sharding as a Kubernetes Indexed Job ----------------------------------------------------


def check_shards(estate, out, ref_out, count):
    sizes = {u: sql_bytes(os.path.join(estate, u)) for u in MAIN_STATUS}
    expected = expected_shards(sizes, count)
    seen = []
    for index in range(count):
        summary = read_json(os.path.join(out, f"summary-{index}-of-{count}.json"))
        assert summary["shard"] == {"index": index, "count": count}
        assert summary["interrupted"] is False
        units = [u["unit"] for u in summary["units"]]
        assert units == expected[index], f"shard {index}: size-balanced, deterministic"
        assert all(u["status"] == MAIN_STATUS[u["unit"]] for u in summary["units"])
        seen += units
    assert sorted(seen) == sorted(MAIN_STATUS), "each unit exactly once across the shards"
    assert not os.path.exists(os.path.join(out, "summary.json")), "shards write only their own summary"
    assert_same_outputs(out, ref_out)
    assert_no_half_units(out)


def test_indexed_job_shards_one_after_another_share_one_output_folder(estate, reference, tmp_path):
    out = str(tmp_path / "results")
    for index in range(3):
        proc = batch(estate, "--out", out, *target_flags(),
                     env={"JOB_COMPLETION_INDEX": str(index), "SQLMILL_SHARD_COUNT": "3"})
        assert proc.returncode in (0, 1), proc.stderr
        summary = read_json(os.path.join(out, f"summary-{index}-of-3.json"))
        findings = any(u["status"] == "findings" for u in summary["units"])
        assert proc.returncode == (1 if findings else 0), "each shard's exit code is its own units'"
        assert sorted(line["unit"] for line in json_lines(proc.stdout)) == \
            [u["unit"] for u in summary["units"]]
        assert f"(shard {index} of 3)" in proc.stderr
    check_shards(estate, out, reference[0], 3)


def test_indexed_job_shards_running_at_once_share_one_output_folder(estate, reference, tmp_path):
    out = str(tmp_path / "results")
    procs = [start_batch(estate, "--out", out, *target_flags(), "--jobs", "1",
                         env={"JOB_COMPLETION_INDEX": str(i), "SQLMILL_SHARD_COUNT": "3"})
             for i in range(3)]
    codes = []
    for proc in procs:
        _stdout, stderr = finish(proc)
        codes.append(proc.returncode)
        assert proc.returncode in (0, 1), stderr
    assert codes.count(1) == 1, "only retail's shard has findings"
    check_shards(estate, out, reference[0], 3)


def test_shard_flags_split_the_estate_and_a_retried_shard_skips_its_done_units(estate, reference, tmp_path):
    out = str(tmp_path / "results")
    for index in range(2):
        proc = batch(estate, "--out", out, *target_flags(), "--shard-index", index, "--shard-count", 2)
        assert proc.returncode in (0, 1), proc.stderr
    check_shards(estate, out, reference[0], 2)
    again = batch(estate, "--out", out, *target_flags(), "--shard-index", 0, "--shard-count", 2)
    assert again.returncode in (0, 1) and json_lines(again.stdout) == [], "a retried index skips its done units"


# --- resume after SIGKILL --------------------------------------------------------------------


def test_a_killed_run_leaves_no_half_unit_and_resumes(slow_estate, slow_reference, tmp_path):
    out = str(tmp_path / "out")
    proc = start_batch(slow_estate, "--out", out, "--target", "snowflake", "--jobs", "1")
    try:
        wait_until(lambda: completed_units(out), "the first unit's result.json", proc)
    finally:
        proc.kill()
        finish(proc)
    assert proc.returncode == -signal.SIGKILL, "killed mid-run, not finished"
    done = completed_units(out)
    assert 1 <= len(done) < len(SLOW_UNITS), done
    assert_no_half_units(out)
    assert not os.path.exists(os.path.join(out, "summary.json"))
    mtimes = result_mtimes(out, done)

    rerun = batch(slow_estate, "--out", out, "--target", "snowflake", "--jobs", "1")
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(line["unit"] for line in json_lines(rerun.stdout)) == \
        sorted(set(SLOW_UNITS) - set(done)), "only the unfinished units ran"
    assert result_mtimes(out, done) == mtimes, "completed units were skipped, not redone"
    assert_same_outputs(out, slow_reference)
    assert not os.listdir(os.path.join(out, ".partial")), "the killed unit's partial folder is gone"
    summary = read_json(os.path.join(out, "summary.json"))
    assert summary["units"] == read_json(os.path.join(slow_reference, "summary.json"))["units"]
    # Skipped units keep their status and are counted once more under "skipped".
    assert summary["totals"] == {"clean": len(SLOW_UNITS), "skipped": len(done)}


# --- SIGTERM ---------------------------------------------------------------------------------


def test_sigterm_finishes_running_units_and_leaves_the_rest_for_a_retry(slow_estate, slow_reference,
                                                                       tmp_path):
    out = str(tmp_path / "out")
    proc = start_batch(slow_estate, "--out", out, "--target", "snowflake", "--jobs", "1")
    try:
        wait_until(lambda: completed_units(out), "the first unit's result.json", proc)
        proc.send_signal(signal.SIGTERM)
    finally:
        stdout, stderr = finish(proc)
    assert proc.returncode == 4, stderr
    summary = read_json(os.path.join(out, "summary.json"))
    assert summary["interrupted"] is True
    status = {u["unit"]: u["status"] for u in summary["units"]}
    assert sorted(status) == SLOW_UNITS
    retry = [u for u in SLOW_UNITS if status[u] == "retry"]
    done = [u for u in SLOW_UNITS if status[u] != "retry"]
    assert retry and done, status
    assert all(status[u] == "clean" for u in done), "the running unit finished"
    assert all("interrupted" in u["error"] for u in summary["units"] if u["status"] == "retry")
    assert summary["totals"] == {"clean": len(done), "retry": len(retry)}
    assert completed_units(out) == done
    assert all(not os.path.exists(os.path.join(out, u)) for u in retry), "units not started leave nothing"
    assert_no_half_units(out)
    assert sorted(line["unit"] for line in json_lines(stdout)) == done

    rerun = batch(slow_estate, "--out", out, "--target", "snowflake", "--jobs", "1")
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(line["unit"] for line in json_lines(rerun.stdout)) == retry
    assert_same_outputs(out, slow_reference)
    summary = read_json(os.path.join(out, "summary.json"))
    assert summary["interrupted"] is False
    assert {u["unit"]: u["status"] for u in summary["units"]} == dict.fromkeys(SLOW_UNITS, "clean")


# --- input errors ----------------------------------------------------------------------------


def binary_garbage():
    """Bytes that are neither UTF-8 nor UTF-16 with a BOM: a NUL, then high bytes at random."""
    rng = random.Random(17)
    return b"\x00" + bytes(rng.randrange(0x80, 0x100) for _ in range(256))


def test_input_errors_are_recorded_and_the_other_units_complete(tmp_path):
    estate = str(tmp_path / "estate")
    write(os.path.join(estate, "good", "tiny.sql"), TINY_SQL)
    write(os.path.join(estate, "more", "crm.sql"), NESTED_A + NESTED_B)
    write(os.path.join(estate, "broken", "orders.sql"),
          "CREATE TABLE dbo.Orders (OrderId int NOT NULL PRIMARY KEY,, Total money NULL);\nGO\n")
    write(os.path.join(estate, "garbage", "dump.sql"), binary_garbage())
    out = str(tmp_path / "out")
    proc = batch(estate, "--out", out, "--target", "snowflake")
    assert proc.returncode == 3, proc.stderr

    status = {u: read_json(os.path.join(out, u, "result.json"))["status"] for u in unit_dirs(out)}
    assert status == {"broken": "input-errors", "garbage": "failed", "good": "clean", "more": "clean"}

    # A syntax error: the unit is still parsed, validated and scaffolded; the error is listed.
    broken = read_json(os.path.join(out, "broken", "result.json"))
    assert broken["parse"]["errors"] == 1
    assert broken["parse"]["diagnostics"][0].startswith("broken/orders.sql:1:")
    assert "[parse-error]" in broken["parse"]["diagnostics"][0]
    assert os.path.exists(os.path.join(out, "broken", "snowflake", "report.json"))

    # Undecodable bytes: "failed" with the reason, recorded so that reruns do not retry it.
    garbage = read_json(os.path.join(out, "garbage", "result.json"))
    assert garbage["error"].startswith("garbage/dump.sql: not valid UTF-8 at byte ")
    assert "UTF-16 with BOM" in garbage["error"]
    assert os.listdir(os.path.join(out, "garbage")) == ["result.json"]
    assert "garbage: garbage/dump.sql: not valid UTF-8" in proc.stderr

    summary = read_json(os.path.join(out, "summary.json"))
    assert summary["totals"] == {"clean": 2, "failed": 1, "input-errors": 1}
    lines = {line["unit"]: line for line in json_lines(proc.stdout)}
    assert lines["garbage"]["status"] == "failed" and "not valid UTF-8" in lines["garbage"]["error"]

    mtimes = result_mtimes(out, status)
    rerun = batch(estate, "--out", out, "--target", "snowflake")
    assert rerun.returncode == 3, "still input errors: exit 3 again"
    assert json_lines(rerun.stdout) == [], "nothing is redone"
    assert result_mtimes(out, status) == mtimes
    assert {u["unit"]: u["status"] for u in read_json(os.path.join(out, "summary.json"))["units"]} == status


def test_odd_length_utf16_fails_the_unit_with_exit_3(tmp_path):
    estate = str(tmp_path / "estate")
    write(os.path.join(estate, "odd", "a.sql"), b"\xff\xfe" + "GO\n".encode("utf-16-le") + b"\x00")
    out = str(tmp_path / "out")
    proc = batch(estate, "--out", out, "--target", "postgres")
    assert proc.returncode == 3
    result = read_json(os.path.join(out, "odd", "result.json"))
    assert result["status"] == "failed" and "UTF-16 text has an odd number of bytes" in result["error"]


# --- usage and configuration -----------------------------------------------------------------


@pytest.mark.parametrize("args, env, message", [
    (["--target", "snowflake"], {}, "--out DIR is required"),
    (["--out", "OUT"], {}, "has no targets: pass --target"),
    (["--out", "OUT", "--target", "snowflake"], {"JOB_COMPLETION_INDEX": "1"},
     "a shard needs both an index (--shard-index or JOB_COMPLETION_INDEX) and a count"),
    (["--out", "OUT", "--target", "snowflake", "--shard-count", "3"], {},
     "a shard needs both an index"),
    (["--out", "OUT", "--target", "snowflake", "--shard-index", "3", "--shard-count", "3"], {},
     "shard index 3 is not below the count 3"),
    (["--out", "OUT", "--target", "snowflake"], {"JOB_COMPLETION_INDEX": "3", "SQLMILL_SHARD_COUNT": "3"},
     "shard index 3 is not below the count 3"),
    (["--out", "OUT", "--target", "snowflake"], {"JOB_COMPLETION_INDEX": "0", "SQLMILL_SHARD_COUNT": "x"},
     "SQLMILL_SHARD_COUNT: expected a number >= 1 but found 'x'"),
    (["--out", "OUT", "--target", "snowflake", "--shard-index", "0", "--shard-count", "0"], {},
     "--shard-count must be at least 1"),
    (["--out", "OUT", "--target", "snowflake", "--jobs", "-1"], {}, "flag --jobs: expected a number >= 0"),
    (["--out", "OUT", "--target", "snowflake", "--fail-on", "fatal"], {}, "flag --fail-on: expected error"),
    (["--out", "OUT", "--target", "snowflake", "--colour=red"], {}, "unknown flag '--colour'"),
    (["--out", "OUT", "--target", "snowflake", "--rules", "MISSING.yml"], {}, "MISSING.yml"),
], ids=['no-out', 'no-target', 'index-env-without-count', 'count-without-index', 'index-not-below-count', 'env-index-not-below-count', 'bad-env-count', 'zero-count', 'negative-jobs', 'bad-fail-on', 'unknown-flag', 'missing-rules'])
def test_usage_errors_exit_2_before_any_work(tmp_path, args, env, message):
    estate = str(tmp_path / "estate")
    write(os.path.join(estate, "tiny", "tiny.sql"), TINY_SQL)
    out = str(tmp_path / "out")
    args = [out if a == "OUT" else str(tmp_path / a) if a == "MISSING.yml" else a for a in args]
    proc = batch(estate, *args, env=env)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert proc.stdout == ""
    assert not os.path.exists(out), "nothing is written"


@pytest.mark.parametrize("make, message", [
    (lambda root: None, "is neither an estate folder nor a manifest file"),
    (lambda root: write(os.path.join(root, "docs", "README.md"), "x"), "the estate has no units"),
], ids=['missing-input', 'no-units'])
def test_unusable_estates_exit_2(tmp_path, make, message):
    estate = str(tmp_path / "estate")
    make(estate)
    proc = batch(estate, "--out", tmp_path / "out", "--target", "snowflake")
    assert proc.returncode == 2 and message in proc.stderr


def test_a_bad_target_is_a_configuration_error(estate, tmp_path):
    out = str(tmp_path / "out")
    proc = batch(estate, "--out", out, "--target", "snowflak")
    assert proc.returncode == 2, proc.stderr
    assert "unknown target 'snowflak'" in proc.stderr
    assert completed_units(out) == [], "a configuration error records no unit as done"
    fixed = batch(estate, "--out", out, *target_flags())
    assert fixed.returncode == 1 and len(json_lines(fixed.stdout)) == len(MAIN_STATUS)


# --- manifests -------------------------------------------------------------------------------

VARS_SQL = """CREATE TABLE [$(DatabaseName)].[dbo].[Thing] (
    Id int NOT NULL PRIMARY KEY,
    Label nvarchar(20) NULL
);
GO
CREATE TABLE [$(DatabaseName)].[dbo].[$(TableName)] (Id int NOT NULL PRIMARY KEY);
GO
"""


def catalog_tables(path):
    catalog = read_json(path)
    return sorted((d.get("name", ""), s["name"], t["name"]) for d in catalog["databases"]
                  for s in d.get("schemas", []) for t in s.get("tables", []))


def manifest_estate(root):
    write(os.path.join(root, "src", "vars.sql"), VARS_SQL)
    write(os.path.join(root, "src", "extra", "tiny.sql"), TINY_SQL)
    for name in sorted(os.listdir(RETAIL)):
        write(os.path.join(root, "retail", name), open(os.path.join(RETAIL, name), "rb").read())


YAML_MANIFEST = """# the estate, one entry per database
units:
  - name: alpha
    paths: [src/vars.sql]
    targets: [postgres]
    vars: {DatabaseName: AlphaDb, TableName: AlphaOrders}
  - name: beta
    paths:
      - src/vars.sql
      - src/extra
    vars:
      TableName: BetaOrders
  - name: shop
    paths: [retail]
    targets: [snowflake, postgres]
"""

JSONL_MANIFEST = (
    '{"name": "alpha", "paths": ["src/vars.sql"], "targets": ["postgres"], '
    '"vars": {"DatabaseName": "AlphaDb", "TableName": "AlphaOrders"}}\n'
    "\n"
    '{"name": "beta", "paths": ["src/vars.sql", "src/extra"], "vars": {"TableName": "BetaOrders"}}\n'
    '{"name": "shop", "paths": ["retail"], "targets": ["snowflake", "postgres"]}\n')


@pytest.mark.parametrize("manifest_name, text", [("estate.yaml", YAML_MANIFEST),
                                                 ("estate.jsonl", JSONL_MANIFEST)], ids=["yaml", "jsonl"])
def test_manifest_units_with_their_own_targets_and_vars(tmp_path, manifest_name, text):
    root = str(tmp_path / "estate")
    manifest_estate(root)
    manifest = os.path.join(root, manifest_name)
    write(manifest, text)
    out = str(tmp_path / "out")
    # --var applies to every unit; a unit's own vars win over it.
    proc = batch(manifest, "--out", out, "--target", "snowflake", "--var", "DatabaseName=CliDb",
                 "--var", "TableName=CliOrders")
    assert proc.returncode == 1, proc.stderr  # shop (the retail schema) has error findings
    assert unit_dirs(out) == ["alpha", "beta", "shop"]

    def targets_of(unit):
        return sorted(e for e in os.listdir(os.path.join(out, unit)) if os.path.isdir(os.path.join(out, unit, e)))

    assert targets_of("alpha") == ["postgres"], "the unit's targets replace --target"
    assert targets_of("beta") == ["snowflake"], "no targets: the command line's"
    assert targets_of("shop") == ["postgres", "snowflake"]
    assert catalog_tables(os.path.join(out, "alpha", "catalog.json")) == [
        ("AlphaDb", "dbo", "AlphaOrders"), ("AlphaDb", "dbo", "Thing")]
    beta = catalog_tables(os.path.join(out, "beta", "catalog.json"))
    assert ("CliDb", "dbo", "BetaOrders") in beta and ("CliDb", "dbo", "Thing") in beta
    assert ("", "dbo", "Item") in beta, "a folder path brings its *.sql files (tiny.sql names no database)"
    assert "$(" not in open(os.path.join(out, "alpha", "postgres", "dbt", "migration_report.json")).read()
    alpha = read_json(os.path.join(out, "alpha", "result.json"))
    assert alpha["status"] == "clean" and alpha["parse"]["errors"] == 0
    assert '"file": "src/vars.sql"' in json.dumps(read_json(os.path.join(out, "alpha", "catalog.json"))), \
        "file names are relative to the manifest's folder"
    shop = read_json(os.path.join(out, "shop", "result.json"))
    assert shop["status"] == "findings" and shop["files"] == 3
    assert {line["unit"] for line in json_lines(proc.stdout)} == {"alpha", "beta", "shop"}


def test_yaml_and_json_lines_manifests_give_the_same_outputs(tmp_path):
    root = str(tmp_path / "estate")
    manifest_estate(root)
    write(os.path.join(root, "a.yaml"), YAML_MANIFEST)
    write(os.path.join(root, "a.jsonl"), JSONL_MANIFEST)
    for name in ("a.yaml", "a.jsonl"):
        proc = batch(os.path.join(root, name), "--out", tmp_path / name, "--target", "snowflake",
                     "--var", "DatabaseName=CliDb")
        assert proc.returncode == 1, proc.stderr
    assert_same_outputs(str(tmp_path / "a.jsonl"), str(tmp_path / "a.yaml"))


@pytest.mark.parametrize("name, text, where, message", [
    ("bad.yaml", "units:\n  - name: alpha\n    paths: [src/vars.sql]\n  - name: beta\n    colour: red\n"
                 "    paths: [src]\n", "bad.yaml:4", "unknown key 'colour' (expected name, paths, targets, vars)"),
    ("bad.yaml", "units:\n  - name: alpha\n    paths: [src/vars.sql]\n  - name: beta\n    paths: [nope.sql]\n",
     "bad.yaml:4", "nope.sql' does not exist"),
    ("bad.yaml", "units:\n  - name: alpha\n    paths: [src/vars.sql]\n  - name: beta\n", "bad.yaml:4",
     "unit 'beta' has no paths"),
    ("bad.yaml", "- name: alpha\n  paths: [src/vars.sql]\n- name: ../up\n  paths: [src]\n", "bad.yaml:3",
     "unit name '../up' must be one path component"),
    ("bad.yaml", "units:\n  - name: alpha\n    paths: src/vars.sql\n", "bad.yaml:2", "'paths' must be a list"),
    ("bad.jsonl", '{"name": "alpha", "paths": ["src/vars.sql"]}\n{"name": "beta", "pathz": ["src"]}\n',
     "bad.jsonl:2", "unknown key 'pathz'"),
    ("bad.jsonl", '{"name": "alpha", "paths": ["src/vars.sql"]}\n\n{"name": ".hidden", "paths": ["src"]}\n',
     "bad.jsonl:3", "unit name '.hidden' must be one path component"),
    ("bad.jsonl", '{"name": "alpha", "paths": ["src/vars.sql"], "vars": ["x"]}\n', "bad.jsonl:1",
     "'vars' must be a mapping"),
], ids=['yaml-unknown-key', 'yaml-missing-path', 'yaml-no-paths', 'yaml-unsafe-name', 'yaml-paths-not-list', 'jsonl-unknown-key', 'jsonl-hidden-name', 'jsonl-vars-not-map'])
def test_a_bad_manifest_entry_exits_2_naming_file_and_line(tmp_path, name, text, where, message):
    root = str(tmp_path / "estate")
    manifest_estate(root)
    write(os.path.join(root, name), text)
    out = str(tmp_path / "out")
    proc = batch(os.path.join(root, name), "--out", out, "--target", "snowflake")
    assert proc.returncode == 2, proc.stderr
    assert f"{where}: " in proc.stderr and message in proc.stderr, proc.stderr
    assert not os.path.exists(out)


@pytest.mark.parametrize("name, text, where", [
    pytest.param("bad.jsonl", '{"name": "alpha", "paths": ["src/vars.sql"]}\n{"name": "beta", "paths": ["src"]\n',
                 "bad.jsonl:2", id="jsonl-syntax-error"),
    pytest.param("bad.jsonl", '{"name": "alpha", "paths": ["src/vars.sql"]}\n{"name": "alpha", "paths": ["src"]}\n',
                 "bad.jsonl:2", id="jsonl-duplicate-name"),
    pytest.param("bad.yaml", "units:\n  - name: alpha\n    paths: [src/vars.sql]\n  - name: none\n    paths: [empty]\n",
                 "bad.yaml:4", id="yaml-no-sql-files"),
])
def test_manifest_errors_name_the_entry_line(tmp_path, name, text, where):
    root = str(tmp_path / "estate")
    manifest_estate(root)
    os.makedirs(os.path.join(root, "empty"))
    write(os.path.join(root, name), text)
    proc = batch(os.path.join(root, name), "--out", tmp_path / "out", "--target", "snowflake")
    assert proc.returncode == 2, proc.stderr
    assert re.search(re.escape(where) + r"(:[0-9]+)?: ", proc.stderr), proc.stderr


# --- --server --------------------------------------------------------------------------------


def test_server_gives_the_same_outputs_as_in_process(server, estate, reference, tmp_path):
    out = str(tmp_path / "remote")
    proc = batch(estate, "--out", out, *target_flags(), "--server", server.address)
    assert proc.returncode == 1, proc.stderr
    assert_same_outputs(out, reference[0])
    assert read_json(os.path.join(out, "summary.json")) == read_json(os.path.join(reference[0], "summary.json"))
    assert {line["unit"]: line["status"] for line in json_lines(proc.stdout)} == MAIN_STATUS


def test_server_and_in_process_agree_on_input_errors(server, tmp_path):
    estate = str(tmp_path / "estate")
    write(os.path.join(estate, "good", "tiny.sql"), TINY_SQL)
    write(os.path.join(estate, "broken", "x.sql"), "CREATE TABLE dbo.X (Id int NOT NULL PRIMARY KEY,, );\nGO\n")
    write(os.path.join(estate, "garbage", "dump.sql"), binary_garbage())
    local = batch(estate, "--out", tmp_path / "local", "--target", "snowflake")
    remote = batch(estate, "--out", tmp_path / "remote", "--target", "snowflake", "--server", server.address)
    assert local.returncode == remote.returncode == 3, remote.stderr
    assert_same_outputs(str(tmp_path / "remote"), str(tmp_path / "local"))


def test_an_unreachable_server_leaves_every_unit_for_a_retry(server, estate, reference, tmp_path):
    out = str(tmp_path / "out")
    address = f"127.0.0.1:{closed_port()}"
    started = time.monotonic()
    proc = batch(estate, "--out", out, *target_flags(), "--server", address, "--timeout_seconds", "2")
    assert time.monotonic() - started < 30
    assert proc.returncode == 4, proc.stderr
    assert completed_units(out) == [] and unit_dirs(out) == [], "nothing recorded as done"
    summary = read_json(os.path.join(out, "summary.json"))
    assert summary["totals"] == {"retry": len(MAIN_STATUS)} and summary["interrupted"] is False
    assert all(f"{address} is unavailable" in u["error"] for u in summary["units"])
    assert {line["status"] for line in json_lines(proc.stdout)} == {"retry"}

    # The retry, once the server is back, does every unit.
    retry = batch(estate, "--out", out, *target_flags(), "--server", server.address)
    assert retry.returncode == 1, retry.stderr
    assert_same_outputs(out, reference[0])


# --- the corpus, read in place ---------------------------------------------------------------


def test_corpus_estate_in_process_and_sharded_agree(tmp_path):
    corpus = os.path.join(SHARED, "corpus", "mssql")
    if not os.path.isdir(corpus):
        pytest.skip(f"{corpus} is absent (../shared is not beside this clone): corpus estate test skipped")
    whole = str(tmp_path / "whole")
    proc = batch(corpus, "--out", whole, "--target", "snowflake")
    assert proc.returncode in (0, 1), proc.stderr
    units = unit_dirs(whole)
    assert units and all(read_json(os.path.join(whole, u, "result.json"))["status"] in ("clean", "findings")
                         for u in units), "every corpus database parses and compiles"
    sharded = str(tmp_path / "sharded")
    procs = [start_batch(corpus, "--out", sharded, "--target", "snowflake", "--jobs", "1",
                         env={"JOB_COMPLETION_INDEX": str(i), "SQLMILL_SHARD_COUNT": "2"}) for i in range(2)]
    for p in procs:
        _out, err = finish(p)
        assert p.returncode in (0, 1), err
    assert_same_outputs(sharded, whole)
