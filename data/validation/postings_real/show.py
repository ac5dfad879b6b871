import json
import re
import sys

s = json.load(open("_sample.json"))
a, b = int(sys.argv[1]), int(sys.argv[2])
CAP = int(sys.argv[3]) if len(sys.argv) > 3 else 2600
CUE = re.compile(
    r"пк\b|компьют|excel|word|office|1с|1c|програм|систем|sql|python|crm|erp|цифр|it|ит\b|автоматиз|онлайн|интернет|электрон|эцп|e-gov|egov|power|bi\b|sap|битрикс|1С|платформ|digital|data|данн|таблиц|компьютер",
    re.I,
)
for i in range(a, min(b, len(s))):
    r = s[i]["row"]
    d = re.sub(r"\n\s*\n+", "\n", r["description"]).strip()
    head = d[:CAP]
    print(
        f"=== #{i} [{s[i]['genre']}] {r['title']} | {r['company']} | skills: {r.get('skills', '(no skills field)')}\n{head}"
    )
    if len(d) > CAP:
        rest = [l for l in d[CAP:].split("\n") if CUE.search(l)]
        print(f"[...{len(d) - CAP} more chars; cue lines:]")
        [print("  >", l[:300]) for l in rest]
    print()
