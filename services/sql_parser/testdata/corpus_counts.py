#!/usr/bin/python3
"""Independent object counts for ../shared/corpus/mssql, for corpus_test.cc.

Written separately from the C++ parser and sharing no code or grammar with it: regular
expressions over comment- and string-stripped text, batch by batch (GO lines), following
T-SQL's rule that CREATE PROCEDURE/FUNCTION/TRIGGER/VIEW runs to the end of its batch.
Counts the final state per folder (files in sorted order, each starting in the default
database): later CREATEs of the same name replace, DROPs remove.

Run once from the source root:  /usr/bin/python3 services/sql_parser/testdata/corpus_counts.py
"""
import os
import re
import sys

CORPUS = "../shared/corpus/mssql"

NAME = r'(?:\[[^\]]+\]|"[^"]+"|[\w#@$]+)(?:\s*\.\s*(?:\[[^\]]+\]|"[^"]+"|[\w#@$]+))*'


def strip(text):
    """Blanks comments (nested /* */ and --) and the insides of '...' strings."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith('/*', i):
                    depth, i = depth + 1, i + 2
                elif text.startswith('*/', i):
                    depth, i = depth - 1, i + 2
                else:
                    if text[i] == '\n':
                        out.append('\n')
                    i += 1
            out.append(' ')
        elif text.startswith('--', i):
            while i < n and text[i] != '\n':
                i += 1
        elif c == "'":
            j = i + 1
            while j < n:
                if text[j] == "'" and j + 1 < n and text[j + 1] == "'":
                    j += 2
                elif text[j] == "'":
                    break
                else:
                    j += 1
            out.append("''")
            i = j + 1
        elif c == '[':
            j = text.find(']', i)
            j = n - 1 if j < 0 else j
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def norm(name, db):
    parts = [p.strip().strip('[]"').lower() for p in re.split(r'\s*\.\s*', name.strip())]
    parts = [p for p in parts]
    if len(parts) == 1:
        parts = ['dbo'] + parts
    if len(parts) == 2:
        parts = [db] + parts
    return tuple(parts[-3:])


def paren_body(text, start):
    """Returns the text inside the balanced parentheses opening at text[start]."""
    depth = 0
    for k in range(start, len(text)):
        if text[k] == '(':
            depth += 1
        elif text[k] == ')':
            depth -= 1
            if depth == 0:
                return text[start + 1:k]
    return text[start + 1:]


def top_level_items(body):
    items, depth, cur = [], 0, []
    for ch in body:
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
        if ch == ',' and depth == 0:
            items.append(''.join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append(''.join(cur))
    return [x.strip() for x in items if x.strip()]


CONSTRAINT_START = re.compile(r'^(CONSTRAINT|PRIMARY|FOREIGN|UNIQUE|CHECK|INDEX|PERIOD)\b', re.I)
GO = re.compile(r'^[ \t]*GO(?:[ \t]+\d+)?[ \t]*(?:--.*)?$', re.I | re.M)
ROUTINE = re.compile(r'^\s*(?:CREATE\s+(?:OR\s+ALTER\s+)?|ALTER\s+)(VIEW|PROC|PROCEDURE|FUNCTION|TRIGGER)\s+(' + NAME + ')', re.I)


CTAS_STAR = re.compile(r'(?:WITH\s*\((?:[^()]|\([^()]*\))*\)\s*)?AS\s+SELECT\s+\*\s+FROM\s+(' + NAME + r')'
                       r'(?:\s+(?:AS\s+)?(?!WHERE\b|OPTION\b)\w+)?\s*(?:\Z|WHERE\b|OPTION\b|;)', re.I)


def count_folder(folder):
    tables = {}   # key -> dict(columns, pks, fks, indexes)
    views, procs, funcs, seqs = set(), set(), set(), set()
    files = []
    for root, _, names in os.walk(folder):
        for n in names:
            if n.endswith('.sql'):
                files.append(os.path.join(root, n))
    files.sort(key=lambda p: os.path.relpath(p, folder))
    for path in files:
        raw = open(path, 'rb').read()
        text = raw.decode('utf-8-sig')
        text = re.sub(r'^[ \t]*:(setvar|on|r)\b.*$', '', text, flags=re.I | re.M)
        text = strip(text)
        db = ''
        for batch in GO.split(text):
            m = ROUTINE.match(batch)
            if m:
                kind, name = m.group(1).upper(), norm(m.group(2), db)
                if kind == 'VIEW':
                    views.add(name)
                elif kind in ('PROC', 'PROCEDURE'):
                    procs.add(name)
                elif kind == 'FUNCTION':
                    funcs.add(name)
                continue
            # Statements in order of appearance.
            events = []
            for mm in re.finditer(r'\bUSE\s+(' + NAME + ')', batch, re.I):
                events.append((mm.start(), 'use', mm))
            for mm in re.finditer(r'\bCREATE\s+(?:EXTERNAL\s+)?TABLE\s+(' + NAME + r')\s*', batch, re.I):
                events.append((mm.start(), 'table', mm))
            for mm in re.finditer(r'\bDROP\s+(TABLE|VIEW|PROC|PROCEDURE|FUNCTION|SEQUENCE)\s+(?:IF\s+EXISTS\s+)?(' + NAME + ')', batch, re.I):
                events.append((mm.start(), 'drop', mm))
            for mm in re.finditer(r'\bALTER\s+TABLE\s+(' + NAME + r')\s+(?:WITH\s+(?:NO)?CHECK\s+)?ADD\b', batch, re.I):
                events.append((mm.start(), 'alter', mm))
            for mm in re.finditer(r'\bCREATE\s+(?:UNIQUE\s+)?(?:(?:NON)?CLUSTERED\s+)?(?:COLUMNSTORE\s+)?INDEX\s+(' + NAME + r')\s+ON\s+(' + NAME + ')', batch, re.I):
                events.append((mm.start(), 'index', mm))
            for mm in re.finditer(r'\bCREATE\s+SEQUENCE\s+(' + NAME + ')', batch, re.I):
                events.append((mm.start(), 'seq', mm))
            events.sort(key=lambda e: e[0])
            for i, (pos, kind, mm) in enumerate(events):
                end = events[i + 1][0] if i + 1 < len(events) else len(batch)
                stmt = batch[pos:end]
                if kind == 'use':
                    db = norm(mm.group(1), db)[-1]
                elif kind == 'table':
                    name = norm(mm.group(1), db)
                    if name[-1].startswith('#'):
                        continue
                    after = batch[mm.end():]
                    cols = pks = fks = idx = 0
                    if after.startswith('('):
                        body = paren_body(batch, mm.end())
                        for item in top_level_items(body):
                            if CONSTRAINT_START.match(item):
                                if re.match(r'^INDEX\b', item, re.I):
                                    idx += 1
                            else:
                                cols += 1
                                # Inline INDEX on a column definition.
                                idx += len(re.findall(r'\bINDEX\s+' + NAME, item, re.I))
                        pks = len(re.findall(r'\bPRIMARY\s+KEY\b', body, re.I))
                        fks = len(re.findall(r'\bREFERENCES\b', body, re.I))
                    else:
                        # CTAS: SELECT * of one known table creates that table's columns.
                        ctas = CTAS_STAR.match(stmt[mm.end() - pos:])
                        if ctas and norm(ctas.group(1), db) in tables:
                            cols = tables[norm(ctas.group(1), db)]['columns']
                    tables[name] = dict(columns=cols, pks=pks, fks=fks, indexes=idx)
                elif kind == 'drop':
                    what, name = mm.group(1).upper(), norm(mm.group(2), db)
                    {'TABLE': tables, 'VIEW': views, 'PROC': procs, 'PROCEDURE': procs,
                     'FUNCTION': funcs, 'SEQUENCE': seqs}[what].pop(name, None) if what == 'TABLE' else \
                        {'VIEW': views, 'PROC': procs, 'PROCEDURE': procs, 'FUNCTION': funcs,
                         'SEQUENCE': seqs}[what].discard(name)
                elif kind == 'alter':
                    name = norm(mm.group(1), db)
                    if name in tables:
                        tables[name]['pks'] = min(1, tables[name]['pks'] + len(re.findall(r'\bPRIMARY\s+KEY\b', stmt, re.I)))
                        tables[name]['fks'] += len(re.findall(r'\bREFERENCES\b', stmt, re.I))
                elif kind == 'index':
                    name = norm(mm.group(2), db)
                    if name in tables:
                        tables[name]['indexes'] += 1
                    elif name in views:
                        tables.setdefault(('#views',), dict(columns=0, pks=0, fks=0, indexes=0))['indexes'] += 1
                elif kind == 'seq':
                    seqs.add(norm(mm.group(1), db))
    real = {k: v for k, v in tables.items() if k != ('#views',)}
    return dict(
        tables=len(real),
        columns=sum(t['columns'] for t in real.values()),
        pks=sum(min(1, t['pks']) for t in real.values()),
        fks=sum(t['fks'] for t in real.values()),
        indexes=sum(t['indexes'] for t in tables.values()),
        views=len(views), procedures=len(procs), functions=len(funcs), sequences=len(seqs))


def main():
    for folder in sorted(os.listdir(CORPUS)):
        c = count_folder(os.path.join(CORPUS, folder))
        print('{"%s", {%d, %d, %d, %d, %d, %d, %d, %d, %d}},' % (
            folder, c['tables'], c['columns'], c['pks'], c['fks'], c['indexes'], c['views'],
            c['procedures'], c['functions'], c['sequences']))


if __name__ == '__main__':
    sys.exit(main())
