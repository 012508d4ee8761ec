"""Checks the Kubernetes manifests against the real binary: every flag they pass exists,
the probes hit endpoints the server serves, ports line up, and the termination grace period
covers the drain and grace the server is told to use. Then starts the server with the
base Deployment's own arguments (ports moved to free loopback ones)."""

import glob
import os
import re
import subprocess

import yaml

from testlib import REPO, binary

K8S = os.path.join(REPO, "deploy", "k8s")


def load_all(path):
    with open(path) as handle:
        return [d for d in yaml.safe_load_all(handle) if d]


def base_objects():
    kustomization = load_all(os.path.join(K8S, "base", "kustomization.yaml"))[0]
    objects = []
    for resource in kustomization["resources"]:
        objects += load_all(os.path.join(K8S, "base", resource))
    return objects


def server_flags():
    result = subprocess.run([binary("sqlmill-server"), "--help"], capture_output=True,
                            text=True, timeout=10, check=True)
    return set(re.findall(r"--([a-z_]+)", result.stdout))


def flag_name(arg):
    return arg[2:].split("=", 1)[0]


def deployment():
    return next(o for o in base_objects() if o["kind"] == "Deployment")


def test_every_yaml_file_parses_and_every_resource_exists():
    files = glob.glob(os.path.join(K8S, "**", "*.yaml"), recursive=True)
    assert files
    for path in files:
        docs = load_all(path)
        assert docs, path
        for doc in docs:
            if doc.get("kind") == "Kustomization":
                for resource in doc.get("resources", []):
                    assert os.path.exists(os.path.join(os.path.dirname(path), resource)), \
                        f"{path}: resource {resource} does not exist"


def test_deployment_flags_exist_in_the_binary():
    known = server_flags()
    container = deployment()["spec"]["template"]["spec"]["containers"][0]
    for arg in container["args"]:
        assert flag_name(arg) in known, f"{arg} is not a sqlmill-server flag"
    # Overlays add flags through JSON patches.
    for path in glob.glob(os.path.join(K8S, "overlays", "*", "kustomization.yaml")):
        text = open(path).read()
        for arg in re.findall(r"value: (--[a-z_]+)", text):
            assert flag_name(arg) in known, f"{path}: {arg} is not a sqlmill-server flag"


def test_probes_ports_and_grace_period_line_up():
    spec = deployment()["spec"]["template"]
    container = spec["spec"]["containers"][0]
    args = {flag_name(a): a.split("=", 1)[1] for a in container["args"] if "=" in a}
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports["grpc"] == int(args["port"])
    assert ports["admin"] == int(args["admin_port"])
    assert spec["metadata"]["annotations"]["prometheus.io/port"] == args["admin_port"]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        http = container[probe]["httpGet"]
        assert http["port"] in ports
        assert http["path"] in ("/healthz", "/readyz")
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    needed = float(args["shutdown_drain_seconds"]) + float(args["shutdown_grace_seconds"])
    assert spec["spec"]["terminationGracePeriodSeconds"] > needed
    for service in (o for o in base_objects() if o["kind"] == "Service"):
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports, f"{service['metadata']['name']}: {port}"


def quantity_bytes(text):
    units = {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30}
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return int(text[:-2]) * factor
    return int(text)


def test_the_memory_limit_covers_every_worker_at_its_call_budget():
    """limits.memory = workers × --max_call_memory_bytes + 256 MiB (docs/architecture.md),
    and the workers match limits.cpu, so one call at its budget cannot OOM-kill the pod."""
    container = deployment()["spec"]["template"]["spec"]["containers"][0]
    args = {flag_name(a): a.split("=", 1)[1] for a in container["args"] if "=" in a}
    limits = container["resources"]["limits"]
    workers = int(args["workers"])
    assert workers == int(limits["cpu"])
    budget = int(args["max_call_memory_bytes"])
    assert quantity_bytes(limits["memory"]) >= workers * budget + (256 << 20)
    # A script the parser accepts under that budget (34 bytes per byte) answers within
    # --max_message_bytes (answers measured at most 2.7× the script).
    assert budget / 34 * 2.7 <= int(args["max_message_bytes"])


def test_the_server_starts_with_the_deployment_arguments(start_server):
    container = deployment()["spec"]["template"]["spec"]["containers"][0]
    overridden = {"host": "--host=127.0.0.1", "port": "--port=0", "admin_port": "--admin_port=0"}
    args = [overridden.get(flag_name(a), a) for a in container["args"]]
    server = start_server(*args)
    assert server.http_get("/readyz") == (200, "ready\n")
    assert server.http_get("/healthz") == (200, "ok\n")
