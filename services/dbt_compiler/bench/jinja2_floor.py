#!/usr/bin/python3
"""The python3-jinja2 floor for the dbt compiler benchmark.

Renders every model of a generated dbt project (written by dbt_compiler_benchmark) with
Debian's jinja2 and stand-in functions for ref/source/config/var/is_incremental, and the
project's and package's macros loaded as modules: a lower bound on what dbt-core spends
rendering, with none of its parsing, graph or manifest work. Prints the seconds taken.
"""
import os
import sys
import time

import jinja2


def main():
    root = sys.argv[1]
    start = time.perf_counter()
    env = jinja2.Environment(extensions=["jinja2.ext.do"])

    class Namespace:
        pass

    def load_macros(folder):
        found = {}
        for dirpath, _, files in os.walk(folder):
            for f in sorted(files):
                if f.endswith(".sql"):
                    with open(os.path.join(dirpath, f)) as fh:
                        module = env.from_string(fh.read()).module
                    for name in dir(module):
                        if not name.startswith("_"):
                            found[name] = getattr(module, name)
        return found

    env.globals.update(
        ref=lambda *a, **k: '"db"."analytics"."%s"' % a[-1],
        source=lambda s, t: '"db"."%s"."%s"' % (s, t),
        config=lambda *a, **k: "",
        var=lambda name, default=None: default if default is not None else "v",
        is_incremental=lambda: False,
        target={"schema": "analytics", "database": "db", "type": "postgres", "name": "dev"},
    )
    pkg = Namespace()
    for name, macro in load_macros(os.path.join(root, "dbt_packages", "util_pkg", "macros")).items():
        setattr(pkg, name, macro)
    env.globals["util_pkg"] = pkg
    env.globals.update(load_macros(os.path.join(root, "macros")))
    rendered = 0
    total = 0
    for dirpath, _, files in os.walk(os.path.join(root, "models")):
        for f in sorted(files):
            if not f.endswith(".sql"):
                continue
            with open(os.path.join(dirpath, f)) as fh:
                text = fh.read().strip()
            total += len(env.from_string(text).render())
            rendered += 1
    print("%.6f %d %d" % (time.perf_counter() - start, rendered, total))


if __name__ == "__main__":
    main()
