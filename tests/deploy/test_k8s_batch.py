"""The batch component (deploy/k8s/components/batch, overlay deploy/k8s/overlays/batch)
checked offline: kustomize renders it, the Indexed Job's shape and failure policy match
`sqlmill batch`'s exit codes, its flags exist in the binary, and — since no cluster runs
here — a test plays the Job: the rendered pod command runs once per completion index with
JOB_COMPLETION_INDEX set, over ../shared/corpus/mssql as the estate, and the union of the
shards' outputs must equal one unsharded run; then one shard is SIGKILLed mid-way and rerun,
and its completed units must be skipped and the final outputs identical."""

import json
import os
import re
import signal
import subprocess
import time

import pytest
import yaml

from testlib import REPO, binary, shared_corpus

OVERLAY = os.path.join(REPO, "deploy", "k8s", "overlays", "batch")


def rendered():
    result = subprocess.run(["kubectl", "kustomize", OVERLAY], capture_output=True, text=True,
                            timeout=60, check=True)
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def job():
    return next(o for o in rendered() if o["kind"] == "Job")


def container():
    return job()["spec"]["template"]["spec"]["containers"][0]


def flag_names(args):
    return {a[2:].split("=", 1)[0] for a in args if a.startswith("--")}


def test_indexed_job_shape():
    spec = job()["spec"]
    assert spec["completionMode"] == "Indexed"
    assert spec["template"]["spec"]["restartPolicy"] == "Never"
    assert spec["backoffLimitPerIndex"] >= 1 and spec["ttlSecondsAfterFinished"] > 0
    args = container()["args"]
    assert args[0] == "batch" and container()["command"] == ["sqlmill"]
    count = next(a.split("=", 1)[1] for a in args if a.startswith("--shard-count="))
    assert int(count) == spec["completions"], "--shard-count must equal completions"
    assert spec["parallelism"] <= spec["completions"]
    # Both volumes exist and the results volume is shared by every pod.
    claims = {o["metadata"]["name"]: o for o in rendered() if o["kind"] == "PersistentVolumeClaim"}
    volumes = {v["name"]: v for v in spec["template"]["spec"]["volumes"]}
    assert volumes["estate"]["persistentVolumeClaim"]["readOnly"] is True
    assert claims[volumes["results"]["persistentVolumeClaim"]["claimName"]]["spec"]["accessModes"] == ["ReadWriteMany"]


def test_pod_failure_policy_follows_the_exit_codes():
    usage = subprocess.run([binary("sqlmill"), "batch", "--help"], capture_output=True, text=True,
                           timeout=10, check=True).stdout
    for code in ("0 every unit clean", "1 validator findings", "2 usage or configuration",
                 "3 some units had input errors", "4 units left undone"):
        assert code in usage.replace("\n", " "), code
    rules = job()["spec"]["podFailurePolicy"]["rules"]
    by_action = {}
    for rule in rules:
        if "onExitCodes" in rule:
            assert rule["onExitCodes"]["containerName"] == "batch"
            assert rule["onExitCodes"]["operator"] == "In"
            by_action.setdefault(rule["action"], set()).update(rule["onExitCodes"]["values"])
    assert by_action["FailJob"] == {2}          # configuration: retrying cannot help
    assert by_action["FailIndex"] == {1, 3}     # that index's results say what is wrong
    assert 4 not in set().union(*by_action.values()), "exit 4 must be retried"
    assert any(r["action"] == "Ignore" and r.get("onPodConditions") for r in rules)


def test_pod_security_and_resources():
    pod = job()["spec"]["template"]["spec"]
    c = container()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert c["resources"]["limits"]["cpu"] and c["resources"]["limits"]["memory"]
    assert re.fullmatch(r"[a-z0-9.-]+:[0-9][0-9A-Za-z.-]*", c["image"]), "image tag pinned"
    jobs = next(a.split("=", 1)[1] for a in c["args"] if a.startswith("--jobs="))
    assert int(jobs) <= int(c["resources"]["limits"]["cpu"])


def test_job_flags_exist_in_the_binary():
    usage = subprocess.run([binary("sqlmill"), "batch", "--help"], capture_output=True, text=True,
                           timeout=10, check=True).stdout
    known = set(re.findall(r"--([a-z][a-z-]+)", usage))
    assert flag_names(container()["args"]) <= known, flag_names(container()["args"]) - known


def pod_command(estate, results):
    """The rendered pod command with the volumes' mount paths pointed at local folders."""
    mounts = {m["name"]: m["mountPath"] for m in container()["volumeMounts"]}
    args = []
    for a in container()["args"]:
        a = a.replace(mounts["results"], results) if a.endswith(mounts["results"]) else a
        args.append(estate if a == mounts["estate"] else a)
    return [binary("sqlmill")] + args


def outputs(root):
    """Every file under root except summaries, with result.json's timings dropped."""
    files = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if rel.startswith("summary") or rel.startswith(".partial"):
                continue
            with open(path, "rb") as f:
                data = f.read()
            if name == "result.json":
                doc = json.loads(data)
                doc.pop("timings_ms", None)
                data = json.dumps(doc, sort_keys=True).encode()
            files[rel] = data
    return files


def run(cmd, index=None, timeout=300):
    env = dict(os.environ)
    if index is not None:
        env["JOB_COMPLETION_INDEX"] = str(index)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def test_playing_the_indexed_job_equals_one_run_and_survives_a_killed_pod(tmp_path):
    estate = shared_corpus("mssql")
    completions = job()["spec"]["completions"]

    single = str(tmp_path / "single")
    cmd = [a for a in pod_command(estate, single) if not a.startswith("--shard-count")]
    whole = run(cmd)
    assert whole.returncode in (0, 1), whole.stderr
    expected = outputs(single)
    units = sorted(d for d in os.listdir(single) if not d.startswith((".", "summary")))
    assert units == sorted(os.listdir(estate))

    shared = str(tmp_path / "shared")
    seen = []
    for index in range(completions):
        shard = run(pod_command(estate, shared), index=index)
        assert shard.returncode in (0, 1), shard.stderr
        with open(os.path.join(shared, f"summary-{index}-of-{completions}.json")) as f:
            seen += [u["unit"] for u in json.load(f)["units"]]
    assert sorted(seen) == units, "each unit done by exactly one shard"
    assert outputs(shared) == expected

    # A pod killed mid-way and retried redoes only its unfinished units.
    retried = str(tmp_path / "retried")
    biggest = max(range(completions), key=lambda i: len(json.load(open(
        os.path.join(shared, f"summary-{i}-of-{completions}.json")))["units"]))
    env = dict(os.environ, JOB_COMPLETION_INDEX=str(biggest))
    one_job = [a for a in pod_command(estate, retried) if not a.startswith("--jobs")] + ["--jobs=1"]
    proc = subprocess.Popen(one_job, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.time() + 120
    done = []
    while time.time() < deadline and proc.poll() is None:
        done = [u for u in os.listdir(retried)] if os.path.isdir(retried) else []
        if any(os.path.exists(os.path.join(retried, u, "result.json")) for u in done):
            break
        time.sleep(0.01)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    complete = {u: os.stat(os.path.join(retried, u, "result.json")).st_mtime_ns
                for u in os.listdir(retried)
                if not u.startswith((".", "summary")) and os.path.exists(os.path.join(retried, u, "result.json"))}
    for u in os.listdir(retried):
        if not u.startswith((".", "summary")):
            assert u in complete, f"{u} is in place without result.json: half-written"
    again = subprocess.run(one_job, capture_output=True, text=True, timeout=300, env=env)
    assert again.returncode in (0, 1), again.stderr
    for u, mtime in complete.items():
        assert os.stat(os.path.join(retried, u, "result.json")).st_mtime_ns == mtime, f"{u} was redone"
    mine = {p: d for p, d in expected.items() if p.split(os.sep)[0] in
            {u["unit"] for u in json.load(open(os.path.join(retried, f"summary-{biggest}-of-{completions}.json")))["units"]}}
    assert outputs(retried) == mine
