#!/usr/bin/python3
"""schema_validator beside the same checks written in Python, on the same catalog.

The status quo the mission replaces is Python: this peer implements nine of our rules
(pk-required, heap-table, fk-missing-index, identity-not-in-key, money-type,
float-for-money, deprecated-type, naming-pattern with five patterns, missing-description
for tables and columns) plainly over the sqlmill.v1.Catalog JSON that
`schema_validator_bench --dump_catalog` writes for the generated 10,000-table catalog,
builds the same findings (path, message, suggestion, position) and sorts them. In the same
run it times BM_ValidatePeerRules (the same nine rules, same parameters, one thread) and
prints both, their ratio and both finding counts (which must agree). Loading the JSON is
outside the Python timing. It never passes or fails.

  /usr/bin/python3 bench/schema_validator_bench.py [--engine build/bin/schema_validator_bench]
(`make bench` runs it with SQLMILL_BUILD_DIR set; the engine is built with
SQLMILL_BUILD_BENCHMARKS=ON.)
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

TABLES = 10000
MONEY = re.compile(r"price|amount|amt|cost|total|balance|salary|wage|fee|tax|money|payment|charge|"
                   r"revenue|freight|budget|invoice", re.I)
RATIO = re.compile(r"(pct|percent|percentage|ratio|rate|factor)(_|$)|^(pct|percent)", re.I)
NAMING = {
    "table": re.compile(r"^[A-Z][A-Za-z0-9]*$"),
    "column": re.compile(r"^[A-Z][A-Za-z0-9]*$"),
    "primary_key": re.compile(r"^PK_\w+$"),
    "foreign_key": re.compile(r"^FK_\w+$"),
    "index": re.compile(r"^(IX|UX)_\w+$"),
}
DEPRECATED = {"text", "ntext", "image", "timestamp"}


def validate(catalog, descriptions):
    """The nine rules (eight without missing-description) over a catalog dict; returns the
    sorted findings."""
    findings = []

    def report(rule, obj, path, message, suggestion):
        span = obj.get("span", {})
        findings.append((span.get("file", ""), span.get("offset", 0), rule, path, message, suggestion))

    for db in catalog.get("databases", []):
        prefix_db = db["name"] + "." if db.get("name") else ""
        for schema in db.get("schemas", []):
            prefix = prefix_db + schema["name"] + "."
            aliases = {t["name"].lower(): t.get("baseType", {}) for t in schema.get("types", [])
                       if t.get("kind") == "TYPE_KIND_ALIAS"}
            history = {t["historyTable"]["name"].lower() for t in schema.get("tables", [])
                       if t.get("historyTable", {}).get("name")}
            for t in schema.get("tables", []):
                name = t["name"]
                path = prefix + name
                options = t.get("options", {})
                external = "EXTERNAL" in options
                pk = t.get("primaryKey")
                uniques = t.get("uniqueConstraints", [])
                indexes = t.get("indexes", [])
                if not pk and not external and name.lower() not in history:
                    report("pk-required", t, path, f"table '{name}' has no primary key",
                           "add a PRIMARY KEY on the column(s) that identify a row")
                clustered = (pk is not None and pk.get("clustering") not in
                             ("CLUSTERING_NONCLUSTERED", "CLUSTERING_HASH"))
                clustered = clustered or any(u.get("clustering") == "CLUSTERING_CLUSTERED" for u in uniques)
                clustered = clustered or any(i.get("kind") in ("INDEX_KIND_CLUSTERED",
                                                               "INDEX_KIND_CLUSTERED_COLUMNSTORE")
                                             for i in indexes)
                if not clustered and not t.get("memoryOptimized") and not external:
                    report("heap-table", t, path, f"table '{name}' is a heap: it has no clustered index",
                           "add a clustered primary key or clustered index")
                for fk in t.get("foreignKeys", []):
                    cols = {c["name"].lower() for c in fk.get("columns", [])}
                    if not cols:
                        continue

                    def supports(key):
                        return len(key) >= len(cols) and {k["name"].lower() for k in key[:len(cols)]} == cols
                    ok = (pk is not None and supports(pk.get("columns", []))) or \
                        any(supports(u.get("columns", [])) for u in uniques) or \
                        any(not i.get("filter") and supports(i.get("columns", [])) for i in indexes)
                    if not ok:
                        names = [c["name"] for c in fk["columns"]]
                        report("fk-missing-index", fk, f"{path}.{fk.get('name', '')}",
                               f"foreign key {fk.get('name', '')} on '{name}' ({', '.join(names)}) has no "
                               "index with these leading columns",
                               f"CREATE INDEX IX_{name}_{'_'.join(names)} ON {schema['name']}.{name} "
                               f"({', '.join(names)})")
                keyed = set()
                for key in ([pk] if pk else []) + uniques + [i for i in indexes if i.get("unique")]:
                    keyed |= {k["name"].lower() for k in key.get("columns", [])}
                if descriptions and t.get("description", "") == "":
                    report("missing-description", t, path, f"table '{name}' has no description",
                           f"EXEC sp_addextendedproperty 'MS_Description', N'...', 'SCHEMA', "
                           f"'{schema['name']}', 'TABLE', '{name}'")
                if not NAMING["table"].match(name):
                    report("naming-pattern", t, path, f"table name '{name}' does not match", "rename it")
                for c in t.get("columns", []):
                    cname = c["name"]
                    cpath = f"{path}.{cname}"
                    dt = c.get("dataType", {})
                    base = dt if not dt.get("isUserDefined") else aliases.get(dt.get("name", "").lower())
                    base_name = base.get("name", "") if base else ""
                    if "identity" in c and cname.lower() not in keyed:
                        report("identity-not-in-key", c, cpath,
                               f"IDENTITY column '{cname}' of '{name}' is not in a primary key or unique key",
                               f"make '{cname}' the primary key, or add a UNIQUE constraint on it")
                    if base_name in ("money", "smallmoney"):
                        report("money-type", c, cpath, f"column '{cname}' of '{name}' is {base_name}",
                               "use decimal(19,4)")
                    if base_name in ("float", "real") and MONEY.search(cname) and not RATIO.search(cname):
                        report("float-for-money", c, cpath,
                               f"column '{cname}' of '{name}' looks like a monetary amount but is "
                               f"{base.get('text', base_name)}",
                               f"use decimal(19,4) (or the currency's precision) for '{cname}'")
                    if not dt.get("isUserDefined") and dt.get("name", "") in DEPRECATED:
                        report("deprecated-type", c, cpath, f"column '{cname}' uses deprecated type "
                               f"{dt['name']}", "replace it")
                    if not NAMING["column"].match(cname):
                        report("naming-pattern", c, cpath, f"column name '{cname}' does not match", "rename it")
                    if descriptions and c.get("description", "") == "":
                        report("missing-description", c, cpath,
                               f"column '{cname}' of '{name}' has no description",
                               f"EXEC sp_addextendedproperty 'MS_Description', N'...', 'SCHEMA', "
                               f"'{schema['name']}', 'TABLE', '{name}', 'COLUMN', '{cname}'")
                for kind, items in (("primary_key", [pk] if pk else []),
                                    ("foreign_key", t.get("foreignKeys", [])), ("index", indexes)):
                    for item in items:
                        iname = item.get("name", "")
                        if iname and not NAMING[kind].match(iname):
                            report("naming-pattern", item, f"{path}.{iname}",
                                   f"name '{iname}' does not match the {kind} pattern", "rename it")
    findings.sort()
    return findings


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.environ.get("SQLMILL_BUILD_DIR", "build")
    ap.add_argument("--engine", default=os.path.join(build, "bin", "schema_validator_bench"))
    ap.add_argument("--iterations", type=int, default=3)
    args = ap.parse_args()
    if not os.path.exists(args.engine):
        print(f"{args.engine} not found: configure with -DSQLMILL_BUILD_BENCHMARKS=ON and build "
              "schema_validator_bench", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "catalog.json")
        subprocess.run([args.engine, f"--dump_catalog={TABLES}:{path}"], check=True)
        with open(path) as f:
            catalog = json.load(f)

    out = subprocess.run([args.engine, "--benchmark_filter=BM_ValidatePeerRules",
                          f"--benchmark_repetitions={args.iterations}", "--benchmark_format=json"],
                         check=True, capture_output=True, text=True).stdout
    runs = [b for b in json.loads(out)["benchmarks"] if b.get("run_type") == "iteration"]

    print(f"generated catalog: {TABLES} tables x 12 columns, one thread each side (best of {args.iterations})")
    for descriptions, label in ((True, "9 rules incl. missing-description (1 finding per column)"),
                                (False, "8 rules, no missing-description (checks dominate)")):
        best = None
        count = 0
        for _ in range(args.iterations):
            start = time.perf_counter()
            count = len(validate(catalog, descriptions))
            elapsed = time.perf_counter() - start
            best = elapsed if best is None else min(best, elapsed)
        mine = [b for b in runs if b["name"].endswith(f"/{TABLES}/{int(descriptions)}/real_time")]
        ours = min(b["real_time"] for b in mine) / 1000.0  # ms → s
        ours_findings = int(mine[0]["findings"])
        print(f"{label}:")
        print(f"  python peer    {best * 1000:9.1f} ms   {count} findings")
        print(f"  sqlmill        {ours * 1000:9.1f} ms   {ours_findings} findings")
        print(f"  ratio          {best / ours:9.1f}x faster")
        if count != ours_findings:
            print(f"  note: finding counts differ ({count} vs {ours_findings}): the peer's rules drifted "
                  "from ours; fix the peer before reading the ratio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
