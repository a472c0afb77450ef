/** Copyable calls for the "Use via API" page, built with the origin the reader used. The origin
 * comes from requestOrigin() (a checked shape); templates escape the text anyway. */
export interface Snippet { id: string; lang: 'cURL' | 'JavaScript' | 'Python'; code: string }

const LOG = 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.06 GiB is free.';
const CONFIG = 'python train.py --batch-size 64';

export function apiSnippets(origin: string): Record<'diagnose' | 'upload' | 'run', Snippet[]> {
  const diagnose = `${origin}/api/diagnose`;
  return {
    diagnose: [
      { id: 'diagnose-curl', lang: 'cURL', code: `curl -X POST ${diagnose} \\
  -H 'Content-Type: application/json' \\
  -d '${JSON.stringify({ log: LOG, config: CONFIG })}'` },
      { id: 'diagnose-js', lang: 'JavaScript', code: `// Node 18+ (or a page on ${origin}): fetch is built in
const res = await fetch('${diagnose}', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({
    log: ${JSON.stringify(LOG)},
    config: '${CONFIG}',
  }),
});
const diagnosis = await res.json();
if (!res.ok) throw new Error(diagnosis.error);
console.log(diagnosis.category, diagnosis.fix?.command);` },
      { id: 'diagnose-python', lang: 'Python', code: `import requests

log = open("stderr.log", encoding="utf-8", errors="replace").read()
r = requests.post("${diagnose}",
                  json={"log": log, "config": "${CONFIG}"}, timeout=60)
r.raise_for_status()
d = r.json()
print(d["category"], d["confidence"], d["root_cause"])
if d["fix"]:
    print(d["fix"]["command"])` },
    ],
    upload: [
      { id: 'upload-curl', lang: 'cURL', code: `curl ${diagnose} -F stderr=@stderr.log -F config=@config.yaml

# or the log alone, as the body
curl ${diagnose} -H 'Content-Type: text/plain' --data-binary @stderr.log` },
      { id: 'upload-python', lang: 'Python', code: `import requests

with open("stderr.log", "rb") as log, open("config.yaml", "rb") as config:
    r = requests.post("${diagnose}",
                      files={"stderr": log, "config": config}, timeout=60)
print(r.status_code, r.json())` },
    ],
    run: [
      { id: 'run-curl', lang: 'cURL', code: `curl ${origin}/api/runs/RUN_ID` },
      { id: 'run-js', lang: 'JavaScript', code: `const res = await fetch('${origin}/api/runs/RUN_ID');
const run = await res.json();
console.log(run.title, run.diagnosis?.category, run.redactions);` },
      { id: 'run-python', lang: 'Python', code: `import requests

run = requests.get("${origin}/api/runs/RUN_ID", timeout=30).json()
print(run["title"], run["diagnosis"]["category"], run["redactions"])` },
    ],
  };
}
