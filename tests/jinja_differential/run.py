#!/usr/bin/python3
"""Differential harness: sqlmill's Jinja engine against Debian's python3-jinja2.

Renders every case with both engines (the same template, context, loader templates and dbt
stand-ins) and requires byte-identical output, or a failure on both sides. Cases marked
with a "compat" id are deliberate differences listed in
services/dbt_compiler/jinja/COMPATIBILITY.md; they are counted, not compared.

Sources of cases:
  * tests/jinja_differential/cases/*.cases  (hand-written, see README.md for the format)
  * every .sql file under ../shared/corpus/dbt (relative to the project root): each file is
    rendered with dbt stand-ins, then imported and each of its macros called with simple
    arguments. If ../shared is missing, the corpus part prints SKIP.

Usage: run.py --engine PATH/TO/jinja_render_tool [--root PROJECT_ROOT] [--filter SUBSTR] [-v]
Final line: "jinja differential: N passed, M failed (K excluded per COMPATIBILITY.md)".
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import jinja2
import jinja2.ext
import jinja2.nodes
import jinja2.runtime

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------------------
# dbt stand-ins, mirrored exactly by InstallDbtStandins() in jinja_render_tool.cc.


class MacroReturn(Exception):
    def __init__(self, value):
        super().__init__()
        self.value = value


_orig_invoke = jinja2.runtime.Macro._invoke


def _invoke_catching_return(self, arguments, autoescape):
    # dbt's MacroGenerator catches its MacroReturn exception around every macro call.
    try:
        return _orig_invoke(self, arguments, autoescape)
    except MacroReturn as e:
        return e.value


jinja2.runtime.Macro._invoke = _invoke_catching_return


def _repr_args(args, kwargs):
    parts = [repr(a) for a in args] + ["%s=%r" % (k, v) for k, v in kwargs.items()]
    return ", ".join(parts)


class GenericNamespace:
    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        full = "%s.%s" % (self._name, attr)
        return lambda *a, **k: "%s(%s)" % (full, _repr_args(a, k))

    def __str__(self):
        return self._name


class Config:
    def __call__(self, *a, **k):
        return ""

    def get(self, *a, **k):
        if len(a) > 1:
            return a[1]
        return k.get("default")

    require = get


class Adapter:
    def quote(self, *a):
        return '"%s"' % (a[0] if a else "")

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(GenericNamespace("adapter"), attr)


@jinja2.pass_context
def _dispatch(ctx, *a, **k):
    macro = str(a[0])
    found = ctx.resolve("default__" + macro)
    if not isinstance(found, jinja2.Undefined):
        return found
    return lambda *b, **kk: "%s(%s)" % (macro, _repr_args(b, kk))


class AdapterStandin(Adapter):
    pass


def _adapter():
    ad = AdapterStandin()
    ad.dispatch = _dispatch
    return ad


def _raise_return(value=None):
    raise MacroReturn(value)


def _make_block_tag_extension(tag, name_fn):
    class BlockTagExtension(jinja2.ext.Extension):
        tags = {tag}

        def parse(self, parser):
            lineno = next(parser.stream).lineno
            name = parser.stream.expect("name").value
            args, defaults = [], []
            if parser.stream.current.type == "lparen":
                next(parser.stream)
                while parser.stream.current.type != "rparen":
                    if args:
                        parser.stream.expect("comma")
                    arg = parser.parse_assign_target(name_only=True)
                    arg.set_ctx("param")
                    if parser.stream.skip_if("assign"):
                        defaults.append(parser.parse_expression())
                    args.append(arg)
                parser.stream.expect("rparen")
            options = {}
            while parser.stream.current.type != "block_end":
                parser.stream.expect("comma")
                key = parser.stream.expect("name").value
                if parser.stream.skip_if("assign"):
                    value = parser.parse_expression()
                    options[key] = value.as_const() if isinstance(value, jinja2.nodes.Const) else None
                else:
                    options[key] = True
            body = parser.parse_statements(("name:end" + tag,), drop_needle=True)
            node = jinja2.nodes.Macro(lineno=lineno)
            node.name = name_fn(name, options)
            node.args = args
            node.defaults = defaults
            node.body = body
            return node

    BlockTagExtension.__name__ = "BlockTag_" + tag
    BlockTagExtension.__qualname__ = "BlockTag_" + tag
    BlockTagExtension.identifier = "sqlmill_harness.BlockTag_" + tag
    return BlockTagExtension


def _materialization_name(name, options):
    return "materialization_%s_%s" % (name, options.get("adapter", "default"))


DBT_EXTENSIONS = [
    _make_block_tag_extension("materialization", _materialization_name),
    _make_block_tag_extension("test", lambda n, o: "test_" + n),
    _make_block_tag_extension("docs", lambda n, o: "docs_" + n),
    _make_block_tag_extension("snapshot", lambda n, o: "snapshot_" + n),
]


def install_dbt_standins(env):
    env.globals.update(
        {
            "ref": lambda *a, **k: '"db"."analytics"."%s"' % (a[-1] if a else ""),
            "source": lambda *a, **k: '"db"."%s"."%s"'
            % (a[0] if len(a) > 0 else "", a[1] if len(a) > 1 else ""),
            "var": lambda *a, **k: a[1] if len(a) > 1 else "var_%s" % (a[0] if a else ""),
            "is_incremental": lambda *a, **k: False,
            "log": lambda *a, **k: "",
            "return": _raise_return,
            "run_query": lambda *a, **k: None,
            "load_result": lambda *a, **k: None,
            "statement": lambda *a, **k: "",
            "config": Config(),
            "adapter": _adapter(),
            "target": {"name": "dev", "schema": "analytics", "database": "db", "type": "postgres"},
            "this": '"db"."analytics"."this_model"',
            "execute": False,
            "flags": {},
            "model": {"name": "this_model", "unique_id": "model.proj.this_model"},
        }
    )
    for ns in ["dbt_utils", "dbt", "exceptions", "dbt_date", "dbt_expectations", "tsql_utils",
               "audit_helper", "api", "modules", "dbt_audit_helper"]:
        env.globals[ns] = GenericNamespace(ns)


# ---------------------------------------------------------------------------------------
# Cases.

HEADER = re.compile(r"^### (\S+)(?:\s+(\{.*\}))?\s*$")


def load_case_files(cases_dir):
    cases = []
    for fname in sorted(os.listdir(cases_dir)):
        if not fname.endswith(".cases"):
            continue
        with open(os.path.join(cases_dir, fname), encoding="utf-8") as f:
            lines = f.read().split("\n")
        current = None
        body = []

        def flush():
            if current is not None:
                text = "\n".join(body)
                if text.endswith("\n"):
                    text = text[:-1]
                current["template"] = text
                cases.append(current)

        for line in lines:
            m = HEADER.match(line)
            if m:
                flush()
                opts = json.loads(m.group(2)) if m.group(2) else {}
                current = {
                    "name": "%s:%s" % (fname[:-6], m.group(1)),
                    "context": opts.pop("ctx", {}),
                    "templates": opts.pop("templates", {}),
                    "compat": opts.pop("compat", None),
                    "options": opts,
                }
                body = []
            elif current is not None:
                body.append(line)
        flush()
    return cases


MACRO_RE = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(([^)]*)\)")


def corpus_cases(root):
    corpus = os.path.normpath(os.path.join(root, "..", "shared", "corpus", "dbt"))
    if not os.path.isdir(corpus):
        return None, corpus
    cases = []
    for dirpath, _, files in sorted(os.walk(corpus)):
        for fname in sorted(files):
            if not fname.endswith(".sql"):
                continue
            path = os.path.join(dirpath, fname)
            rel = os.path.relpath(path, corpus)
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                src = f.read()
            # dbt strips each file before rendering.
            src = src.strip()
            opts = {"dbt": True}
            cases.append({"name": "corpus:" + rel, "template": src, "context": {},
                          "templates": {}, "compat": None, "options": dict(opts)})
            for m in MACRO_RE.finditer(src):
                name, params = m.group(1), m.group(2)
                required = [p.strip() for p in params.split(",")
                            if p.strip() and "=" not in p and not p.strip().startswith("*")]
                args = ", ".join("'arg_%s'" % p for p in required)
                call = "{%% import 'file.sql' as m %%}{{ m.%s(%s) }}" % (name, args)
                cases.append({"name": "corpus:%s#%s" % (rel, name), "template": call,
                              "context": {}, "templates": {"file.sql": src}, "compat": None,
                              "options": dict(opts)})
    return cases, corpus


def render_python(case):
    o = case["options"]
    exts = ["jinja2.ext.do", "jinja2.ext.loopcontrols"]
    if o.get("dbt"):
        exts += DBT_EXTENSIONS
    env = jinja2.Environment(
        trim_blocks=bool(o.get("trim_blocks")),
        lstrip_blocks=bool(o.get("lstrip_blocks")),
        keep_trailing_newline=bool(o.get("keep_trailing_newline")),
        undefined=jinja2.StrictUndefined if o.get("strict") else jinja2.Undefined,
        extensions=exts,
        loader=jinja2.DictLoader(case.get("templates", {})),
    )
    if o.get("dbt"):
        install_dbt_standins(env)
    try:
        return True, env.from_string(case["template"]).render(**case.get("context", {}))
    except MacroReturn as e:
        return True, ""
    except Exception as e:  # noqa: BLE001 - any failure is compared as "failed"
        return False, "%s: %s" % (type(e).__name__, e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", required=True)
    ap.add_argument("--root", default=os.path.normpath(os.path.join(HERE, "..", "..")))
    ap.add_argument("--filter", default="")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    cases = load_case_files(os.path.join(HERE, "cases"))
    corpus, corpus_dir = corpus_cases(args.root)
    if corpus is None:
        print("SKIP corpus part: %s not found (the shared corpus lives in ../shared)" % corpus_dir)
    else:
        print("corpus: %d cases from %s" % (len(corpus), corpus_dir))
        cases += corpus
    if args.filter:
        cases = [c for c in cases if args.filter in c["name"]]

    with tempfile.TemporaryDirectory() as tmp:
        in_path = os.path.join(tmp, "cases.json")
        out_path = os.path.join(tmp, "results.json")
        with open(in_path, "w", encoding="utf-8", errors="surrogateescape") as f:
            json.dump({"cases": cases}, f, ensure_ascii=False)
        proc = subprocess.run([args.engine, in_path, out_path], capture_output=True, text=True)
        if proc.returncode != 0:
            print("engine failed (exit %d): %s" % (proc.returncode, proc.stderr))
            print("jinja differential: 0 passed, %d failed (0 excluded per COMPATIBILITY.md)" % len(cases))
            return 1
        with open(out_path, encoding="utf-8", errors="surrogateescape") as f:
            results = json.load(f)["results"]

    passed = failed = excluded = 0
    for case, ours in zip(cases, results):
        if case.get("compat"):
            excluded += 1
            continue
        ok, theirs = render_python(case)
        if ok and ours["ok"] and ours["output"] == theirs:
            passed += 1
        elif not ok and not ours["ok"]:
            passed += 1
            if args.verbose:
                print("both failed %s:\n  jinja2: %s\n  ours:   %s" % (case["name"], theirs,
                                                                      ours["error"].split("\n")[0]))
        else:
            failed += 1
            print("FAIL %s" % case["name"])
            print("  template: %r" % case["template"][:300])
            print("  jinja2:   %s" % (repr(theirs) if ok else "ERROR " + theirs)[:2000])
            print("  ours:     %s" % (repr(ours["output"]) if ours["ok"] else "ERROR " + ours["error"])[:2000])
    print("jinja differential: %d passed, %d failed (%d excluded per COMPATIBILITY.md)"
          % (passed, failed, excluded))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
