"""What a colleague would write instead of deviation: load the YAML, keep what is due by a day, print JSON.

    python benchmarks/peers/naive_due.py REGISTER_FOLDER 2024-06-30

Twenty lines, PyYAML with libyaml's loader, deadlines read by one regular
expression (a month means its last day). No checks, no units, no cache.
"""

import calendar
import json
import re
import sys
from datetime import date

import yaml

folder, before = sys.argv[1], date.fromisoformat(sys.argv[2])
with open(f"{folder}/tasks.yaml", encoding="utf-8") as handle:
    register = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
due = []
for task in register["tasks"]:
    for year, month, day in re.findall(r"(\d{4})[年-](\d{1,2})(?:[月-](\d{1,2}))?", str(task["deadline"])):
        year, month = int(year), int(month)
        milestone = date(year, month, int(day) if day else calendar.monthrange(year, month)[1])
        if milestone <= before:
            due.append({**task, "milestone": milestone.isoformat()})
due.sort(key=lambda task: (task["milestone"], int(task["id"])))
json.dump(due, sys.stdout, ensure_ascii=False, indent=2, default=str)  # YAML 1.1 made some deadlines dates
