/** Copyable calls for the "Use via API" page, built with the origin the reader used. The origin
 * comes from requestOrigin() (a checked shape); templates escape the text anyway. */
export interface Snippet { id: string; lang: 'cURL' | 'JavaScript' | 'Python'; code: string }

const LOG = 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.06 GiB is free.';
const CONFIG = 'python train.py --batch-size 64';

export function apiSnippets(origin: string): Record<'diagnose' | 'upload' | 'run' | 'scenario', Snippet[]> {
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
    scenario: [
      { id: 'scenario-curl', lang: 'cURL', code: `# 1. start a run of a scenario (GET ${origin}/api/scenarios lists them)
curl -X POST ${origin}/api/runs -H 'Content-Type: application/json' \\
  -d '{"scenario": "vllm-max-model-len", "params": {"max_model_len": 65536}}'
# → {"id":"RUN_ID", ...}

# 2. stream its steps: event: generating (one per step), then complete or error
curl -N ${origin}/api/runs/RUN_ID/events` },
      { id: 'scenario-js', lang: 'JavaScript', code: `const res = await fetch('${origin}/api/runs', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ scenario: 'train-batch-64' }),
});
const { id } = await res.json();
// in a page on ${origin} (EventSource reconnects with Last-Event-ID by itself)
const events = new EventSource('${origin}/api/runs/' + id + '/events');
events.addEventListener('generating', (e) => {
  const step = JSON.parse(e.data);
  console.log(step.seq, step.title, step.status, step.summary);
});
events.addEventListener('complete', (e) => { console.log(JSON.parse(e.data).result.verdict); events.close(); });
events.addEventListener('error', (e) => { if (e.data) console.error(JSON.parse(e.data).error); events.close(); });` },
      { id: 'scenario-python', lang: 'Python', code: `import json, requests

run = requests.post("${origin}/api/runs", json={"scenario": "load-timeout"}, timeout=30).json()
with requests.get(f"${origin}/api/runs/{run['id']}/events", stream=True, timeout=300) as r:
    event = None
    for line in r.iter_lines(decode_unicode=True):
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "generating":
            step = json.loads(line[6:])
            print(step["seq"], step["title"], step["status"])
        elif line.startswith("data: ") and event in ("complete", "error"):
            print(event, json.loads(line[6:]))
            break` },
    ],
  };
}
