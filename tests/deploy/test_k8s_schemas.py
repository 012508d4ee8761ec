"""Every overlay of deploy/k8s rendered with `kubectl kustomize` and checked offline: each
object against the Kubernetes JSON schemas (the npm package kubernetes-models, pinned in
tools/k8s_validate/package-lock.json and installed by scripts/install_deps.sh) plus our
check for unknown keys, then policy: limits on every container, probes on every server
container, non-root pods with seccomp RuntimeDefault, read-only root filesystems, dropped
capabilities, pinned image tags, and a NetworkPolicy in front of the workers."""

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from testlib import REPO

OVERLAYS = os.path.join(REPO, "deploy", "k8s", "overlays")
VALIDATOR = os.path.join(REPO, "tools", "k8s_validate")


def overlays():
    return sorted(d for d in os.listdir(OVERLAYS) if os.path.isdir(os.path.join(OVERLAYS, d)))


def render(overlay):
    assert shutil.which("kubectl"), "kubectl is missing (it renders the kustomize overlays)"
    result = subprocess.run(["kubectl", "kustomize", os.path.join(OVERLAYS, overlay)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, f"{overlay}: {result.stderr}"
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def schema_problems(objects):
    assert os.path.isdir(os.path.join(VALIDATOR, "node_modules", "kubernetes-models")), \
        "tools/k8s_validate/node_modules is missing: run scripts/install_deps.sh (npm ci)"
    result = subprocess.run(["node", os.path.join(VALIDATOR, "validate.mjs")], input=json.dumps(objects),
                            capture_output=True, text=True, timeout=120, cwd=VALIDATOR)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def pod_specs(objects):
    for o in objects:
        if o["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
            yield o, o["spec"]["template"]["spec"]


def test_every_overlay_renders():
    assert {"dev", "production", "batch"} <= set(overlays())
    for overlay in overlays():
        assert render(overlay), overlay


@pytest.mark.parametrize("overlay", overlays())
def test_rendered_objects_match_the_kubernetes_schemas(overlay):
    assert schema_problems(render(overlay)) == []


def test_the_checker_catches_wrong_types_and_unknown_keys():
    objects = render("batch")
    job = next(o for o in objects if o["kind"] == "Job")
    job["spec"]["parallelism"] = "two"
    job["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    job["spec"]["completionMode"] = "Sometimes"
    messages = [p["message"] for p in schema_problems([job])]
    assert any("parallelism must be integer" in m for m in messages), messages
    assert any("unknown key 'imagePullPolicyy' at .spec.template.spec.containers[0]" in m for m in messages)
    assert any("completionMode" in m for m in messages), messages


@pytest.mark.parametrize("overlay", overlays())
def test_pod_policies(overlay):
    objects = render(overlay)
    for obj, pod in pod_specs(objects):
        where = f"{overlay}: {obj['kind']}/{obj['metadata']['name']}"
        assert pod["securityContext"]["runAsNonRoot"] is True, where
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", where
        for c in pod["containers"]:
            sc = c["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False, where
            assert sc["capabilities"]["drop"] == ["ALL"], where
            assert c["resources"]["limits"]["cpu"] and c["resources"]["limits"]["memory"], where
            assert c["resources"]["requests"]["cpu"] and c["resources"]["requests"]["memory"], where
            assert re.fullmatch(r"[a-z0-9./-]+:[0-9][0-9A-Za-z.-]*", c["image"]), f"{where}: image tag not pinned"
            if obj["kind"] == "Deployment":
                for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                    assert probe in c, f"{where}: no {probe}"
        if obj["kind"] == "Deployment" and obj["spec"].get("replicas", 1) > 1:
            assert pod.get("topologySpreadConstraints"), f"{where}: replicas are not spread"


@pytest.mark.parametrize("overlay", ["dev", "production"])
def test_only_clients_reach_the_workers(overlay):
    objects = render(overlay)
    policies = [o for o in objects if o["kind"] == "NetworkPolicy"]
    assert policies, f"{overlay}: no NetworkPolicy"
    policy = policies[0]["spec"]
    server = next(o for o in objects if o["kind"] == "Deployment")
    labels = server["spec"]["template"]["metadata"]["labels"]
    assert all(labels.get(k) == v for k, v in policy["podSelector"]["matchLabels"].items())
    assert policy["policyTypes"] == ["Ingress"]
    ports = {}
    for rule in policy["ingress"]:
        for port in rule["ports"]:
            ports.setdefault(port["port"], []).extend(rule["from"])
    assert set(ports) == {"grpc", "admin"}
    grpc_from = json.dumps(ports["grpc"])
    assert "api" in grpc_from and "batch" in grpc_from
    assert "namespaceSelector" in json.dumps(ports["admin"])
