#!/usr/bin/env python3
"""json_check.py SCHEMA_DIR FILE... -- every line of each FILE that is a
JSON object (a line starting with '{') must name its shape with
"schema": "sinew.KIND/1" and be valid against SCHEMA_DIR/KIND.json.
Prints one line per document that fails, then "N valid, N invalid";
exits 1 when any failed, or when no document was found."""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) < 3:
        print("usage: json_check.py SCHEMA_DIR FILE...", file=sys.stderr)
        return 2
    folder = sys.argv[1]
    validators = {}
    valid = invalid = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.startswith("{"):
                    continue
                where = "%s:%d" % (path, number)
                try:
                    doc = json.loads(line)
                except ValueError as e:
                    print("%s: not JSON: %s" % (where, e))
                    invalid += 1
                    continue
                name = doc.get("schema", "")
                if not (name.startswith("sinew.") and name.endswith("/1")):
                    print('%s: no "schema": "sinew.KIND/1"' % where)
                    invalid += 1
                    continue
                kind = name[len("sinew."):-len("/1")]
                if kind not in validators:
                    try:
                        with open("%s/%s.json" % (folder, kind), encoding="utf-8") as s:
                            schema = json.load(s)
                    except OSError:
                        print("%s: no schema for %s in %s" % (where, name, folder))
                        invalid += 1
                        continue
                    cls = jsonschema.validators.validator_for(schema)
                    cls.check_schema(schema)
                    validators[kind] = cls(schema)
                errors = sorted(validators[kind].iter_errors(doc), key=lambda e: list(e.path))
                if errors:
                    e = errors[0]
                    at = "/".join(str(p) for p in e.absolute_path)
                    print("%s: not a valid %s at /%s: %s" % (where, name, at, e.message[:300]))
                    invalid += 1
                else:
                    valid += 1
    print("%d valid, %d invalid" % (valid, invalid))
    return 1 if invalid or not valid else 0


if __name__ == "__main__":
    sys.exit(main())
