// Validates Kubernetes objects offline: reads a JSON array of objects on stdin and prints a
// JSON array of problems. Each object is checked against the Kubernetes JSON schemas that
// the kubernetes-models package compiles (types, enums, required fields), and for unknown
// keys: the compiled validators read every property the schema knows, so each object is
// wrapped in a Proxy that records which keys were read; a key the validator never read is
// unknown (a misspelt field the API server would drop or reject). Objects the schema treats
// as maps (labels, annotations, resources) are enumerated by the validator and exempt.
//
//   kubectl kustomize deploy/k8s/overlays/dev | yaml-to-json | node validate.mjs
import { readFileSync } from "node:fs";

function modulePath(apiVersion) {
  return apiVersion.includes("/") ? `kubernetes-models/${apiVersion}` : `kubernetes-models/${apiVersion}`;
}

function track(value, path, nodes) {
  if (value === null || typeof value !== "object") return value;
  const node = { path, keys: Array.isArray(value) ? [] : Object.keys(value), read: new Set(), enumerated: false };
  if (!Array.isArray(value)) nodes.push(node);
  const target = Array.isArray(value)
    ? value.map((v, i) => track(v, `${path}[${i}]`, nodes))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, track(v, `${path}.${k}`, nodes)]));
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === "string") node.read.add(key);
      return Reflect.get(t, key, receiver);
    },
    has(t, key) {
      if (typeof key === "string") node.read.add(key);
      return Reflect.has(t, key);
    },
    ownKeys(t) {
      node.enumerated = true;
      return Reflect.ownKeys(t);
    },
  });
}

const objects = JSON.parse(readFileSync(0, "utf8"));
const problems = [];
for (const obj of objects) {
  const where = `${obj.kind}/${obj.metadata?.name ?? "?"}`;
  let Model;
  try {
    Model = (await import(modulePath(obj.apiVersion)))[obj.kind];
  } catch (e) {
    Model = undefined;
  }
  if (Model === undefined) {
    problems.push({ object: where, message: `no schema for ${obj.apiVersion} ${obj.kind}` });
    continue;
  }
  const nodes = [];
  const tracked = track(obj, "", nodes);
  let validate;
  try {
    validate = new Model(obj).validate;
  } catch (e) {
    problems.push({ object: where, message: String(e.message ?? e) });
    continue;
  }
  // The model's own validate() runs the compiled schema validator over `this`; call it on
  // the tracked copy so every property access is seen.
  try {
    validate.call(tracked);
  } catch (e) {
    problems.push({ object: where, message: String(e.message ?? e).slice(0, 2000) });
  }
  for (const node of nodes) {
    if (node.enumerated) continue;
    for (const key of node.keys) {
      if (!node.read.has(key)) problems.push({ object: where, message: `unknown key '${key}' at ${node.path || "."}` });
    }
  }
}
process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
