"""The floors the tool is held to, each run as a process of its own by benchmarks/run.py.

    python benchmarks/floors.py hash REGISTER_FOLDER     # read tasks.yaml and units.yaml, SHA-256 of both
    python benchmarks/floors.py events REGISTER_FOLDER   # libyaml's bare event loop over tasks.yaml

``hash`` is what any cached answer must do first (know the files have not
changed); ``events`` is the least a YAML parser does to read the file.
"""

import hashlib
import sys

what, folder = sys.argv[1], sys.argv[2]
if what == "hash":
    digest = hashlib.sha256()
    for name in ("units.yaml", "tasks.yaml"):
        with open(f"{folder}/{name}", "rb") as handle:
            digest.update(handle.read())
    print(digest.hexdigest())
elif what == "events":
    import yaml

    with open(f"{folder}/tasks.yaml", encoding="utf-8") as handle:
        text = handle.read()
    for _event in yaml.parse(text, Loader=yaml.CSafeLoader):
        pass
else:
    sys.exit(f"unknown floor {what!r}")
