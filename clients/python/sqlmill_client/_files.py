"""Local-disk helpers for the clients: reading .sql files and dbt projects into requests,
writing a scaffolded project out. No gRPC.

Thread-safety: plain functions; concurrent writes to the same out_dir are the caller's concern.
"""

import os


def write_scaffold(response, out_dir):
    """Writes a ScaffoldProjectResponse's files under out_dir (created when missing) and
    returns their paths, relative and '/'-separated, in the response's order.

    Refuses (ValueError, before writing anything) a path that is absolute or has a '..' or
    empty component. Existing files at those paths are overwritten; nothing else in out_dir
    is touched (unlike `sqlmill migrate`, this keeps no record of what an earlier run wrote)."""
    targets = []
    for f in response.files:
        parts = f.path.replace("\\", "/").split("/")
        if (not f.path or f.path.startswith(("/", "\\")) or os.path.isabs(f.path)
                or os.path.splitdrive(f.path)[0] or ".." in parts or "" in parts):
            raise ValueError(f"write_scaffold: refusing to write {f.path!r} outside {out_dir}")
        targets.append((f.path, os.path.join(out_dir, *parts), f.content))
    for _path, full, content in targets:
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as handle:
            handle.write(content)
    return [path for path, _full, _content in targets]


def read_project_files(root):
    """Returns [(relative path, bytes)] of a dbt project directory, sorted, without the
    target/, logs/ and .git/ folders dbt itself ignores."""
    out = []
    for directory, dirs, names in os.walk(root):
        rel_dir = os.path.relpath(directory, root)
        if rel_dir == ".":
            dirs[:] = [d for d in dirs if d not in ("target", "logs", ".git")]
        for name in names:
            full = os.path.join(directory, name)
            with open(full, "rb") as handle:
                out.append((os.path.relpath(full, root).replace(os.sep, "/"), handle.read()))
    return sorted(out)


def read_sql_files(*paths):
    """Returns [(name, bytes)] for .sql files under the given files and folders, sorted."""
    out = []
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, _dirs, names in os.walk(path):
                found += [os.path.join(root, n) for n in names if n.lower().endswith(".sql")]
            for f in sorted(found):
                with open(f, "rb") as handle:
                    out.append((os.path.relpath(f, path), handle.read()))
        else:
            with open(path, "rb") as handle:
                out.append((os.path.basename(path), handle.read()))
    return out
