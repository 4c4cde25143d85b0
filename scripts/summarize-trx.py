"""Prints the test counts of every .trx file under a folder, per area (PostgreSQL, Agents Playground, Chromium UI, the rest),
and closes with the plain 'N passed, N failed, N skipped' line that CI reads."""
import pathlib
import sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
areas = {"PostgreSQL": [0, 0, 0], "Agents Playground": [0, 0, 0], "Chromium UI": [0, 0, 0], "other": [0, 0, 0]}
failed_names = []
files = list(pathlib.Path(sys.argv[1]).rglob("*.trx"))
if not files:
    print("no test results found")
    sys.exit(1)
for trx in files:
    root = ET.parse(trx).getroot()
    for result in root.iterfind(".//t:UnitTestResult", ns):
        name = result.get("testName", "")
        outcome = result.get("outcome", "")
        area = ("PostgreSQL" if "Postgres" in name else "Chromium UI" if ".BrowserUi." in name
                else "Agents Playground" if ".Playground." in name else "other")
        index = 0 if outcome == "Passed" else 1 if outcome == "Failed" else 2
        areas[area][index] += 1
        if outcome == "Failed":
            failed_names.append(name)
print()
for area, (p, f, s) in areas.items():
    print(f"  {area:18} {p:4} passed, {f} failed, {s} skipped")
for name in failed_names:
    print(f"  FAILED: {name}")
total = [sum(a[i] for a in areas.values()) for i in range(3)]
print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
sys.exit(1 if total[1] or total[0] == 0 else 0)
