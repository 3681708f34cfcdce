#!/usr/bin/env python3
"""messages-extract.py — lists the nl_fail() message formats in src/ and which of them the Chinese catalogue
(src/core/messages_zh.c) does not translate yet, so the catalogue can be continued.

Usage: scripts/messages-extract.py            missing formats, one C string literal a line, grouped by file, + coverage
       scripts/messages-extract.py --all      every distinct format with its first call site
       scripts/messages-extract.py --stub     missing formats as catalogue lines `{ "en", "" },` to fill in
       scripts/messages-extract.py --sort     checks the catalogue entries are sorted (strcmp order) and unique
A format is taken from the 4th argument of nl_fail (both sides of a `c ? "a" : "b"`, adjacent literals joined);
formats built at run time are not seen. The catalogue also holds the default messages of src/core/err.c."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOGUE = os.path.join(ROOT, 'src', 'core', 'messages_zh.c')
STR = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def strip_comments(s):
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == '\\' else 1
            out.append(s[i:j + 1])
            i = j + 1
        elif s.startswith('/*', i):
            j = s.find('*/', i + 2)
            i = n if j < 0 else j + 2
            out.append(' ')
        elif s.startswith('//', i):
            j = s.find('\n', i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def call_args(s, start):
    """Splits the arguments of the call whose '(' is at s[start]; returns (args, end)."""
    depth, i, args, cur = 0, start, [], []
    while i < len(s):
        c = s[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < len(s) and s[j] != c:
                j += 2 if s[j] == '\\' else 1
            cur.append(s[i:j + 1])
            i = j + 1
            continue
        if c in '([{':
            depth += 1
            if depth == 1:
                i += 1
                continue
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                args.append(''.join(cur))
                return args, i
        elif c == ',' and depth == 1:
            args.append(''.join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    return args, i


def formats_of(arg):
    """The format strings an argument can be: literals joined when adjacent, split at '?' / ':'."""
    out = []
    for part in re.split(r'[?:](?=(?:[^"]*"[^"]*")*[^"]*$)', arg):
        lits = STR.findall(part)
        if lits:
            out.append(''.join(lits))
    return out


def source_formats():
    found = {}
    for base, _, names in os.walk(os.path.join(ROOT, 'src')):
        for name in sorted(names):
            if not name.endswith('.c') or name == 'messages_zh.c':
                continue
            path = os.path.join(base, name)
            rel = os.path.relpath(path, ROOT)
            text = strip_comments(open(path, encoding='utf-8').read())
            for m in re.finditer(r'\bnl_fail\s*\(', text):
                args, _ = call_args(text, m.end() - 1)
                if len(args) < 4:
                    continue
                line = text.count('\n', 0, m.start()) + 1
                for f in formats_of(args[3]):
                    found.setdefault(f, f'{rel}:{line}')
    return found


def catalogue():
    text = strip_comments(open(CATALOGUE, encoding='utf-8').read())
    return [m.group(1) for m in re.finditer(r'\{\s*"((?:[^"\\\n]|\\.)*)"\s*,\s*"', text)]


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ''
    src = source_formats()
    cat = catalogue()
    if mode == '--sort':
        def key(lit):   # strcmp order of the C string: unescape \" and \\, compare UTF-8 bytes
            return re.sub(r'\\(.)', r'\1', lit).encode('utf-8')
        bad = [(a, b) for a, b in zip(cat, cat[1:]) if key(a) >= key(b)]
        for a, b in bad:
            print(f'not sorted/unique: "{a}" >= "{b}"')
        return 1 if bad else 0
    have = set(cat)
    if mode == '--all':
        for f, where in sorted(src.items(), key=lambda kv: kv[1]):
            print(f'{where}\t{"zh" if f in have else "--"}\t"{f}"')
    else:
        last = None
        for f, where in sorted(src.items(), key=lambda kv: kv[1]):
            if f in have:
                continue
            if mode == '--stub':
                print(f'\t{{ "{f}", "" }},')
                continue
            fn = where.split(':')[0]
            if fn != last:
                print(f'# {fn}')
                last = fn
            print(f'  "{f}"')
    n = sum(1 for f in src if f in have)
    print(f'coverage: {n} of {len(src)} nl_fail formats translated ({len(cat)} catalogue entries)', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
