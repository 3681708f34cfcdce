#!/usr/bin/env python3
"""yaml2json.py — converts docs/openapi.yaml to the JSON served at /api/openapi.json (needs python3-yaml).

usage: yaml2json.py IN.yaml OUT.json   (OUT is rewritten only when it changes)"""
import json
import sys

import yaml


def main():
    with open(sys.argv[1], encoding='utf-8') as fh:
        doc = yaml.safe_load(fh)
    text = json.dumps(doc, ensure_ascii=False, separators=(',', ':'), sort_keys=False, default=str)
    try:
        with open(sys.argv[2], encoding='utf-8') as fh:
            if fh.read() == text:
                return
    except OSError:
        pass
    with open(sys.argv[2], 'w', encoding='utf-8') as fh:
        fh.write(text)


if __name__ == '__main__':
    main()
