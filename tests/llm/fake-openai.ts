/** A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol: a plain JSON
 * `chat.completion`, or, when the request asks for `stream: true`, server-sent events
 * (`data: {chunk}` lines, then `data: [DONE]`). Each test scripts its replies; every request is
 * recorded, raw body and headers, so a test can check what left the process. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

export interface FakeRequest { method: string; url: string; headers: IncomingHttpHeaders; raw: string; body: Record<string, any> }

export type Reply =
  /** a model answer: streamed in `chunks` pieces when the request streams */
  | { content: string; chunks?: number; chunkDelayMs?: number; delayMs?: number; ignoreStream?: boolean }
  /** an HTTP error with an OpenAI-style error body */
  | { status: number; message?: string; delayMs?: number; headers?: Record<string, string> }
  /** anything else, verbatim */
  | { raw: string; contentType: string; delayMs?: number };

export interface FakeServer {
  baseUrl: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

const sleep = (ms: number, timers: Set<NodeJS.Timeout>) => new Promise<void>((resolve) => {
  const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
  timers.add(t);
});

/** Splits a text into n pieces of about the same length (the last may be shorter). */
export function pieces(text: string, n: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, n)));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export async function startFakeOpenAI(script: (req: FakeRequest, index: number) => Reply): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body: Record<string, any> = {};
    try { body = JSON.parse(raw); } catch { /* recorded as is */ }
    const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, body };
    requests.push(request);
    const reply = script(request, requests.length - 1);
    if (reply.delayMs) await sleep(reply.delayMs, timers);
    if (res.destroyed) return;
    await send(res, reply, body, timers).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function send(res: ServerResponse, reply: Reply, body: Record<string, any>, timers: Set<NodeJS.Timeout>): Promise<void> {
  if ('raw' in reply) {
    res.writeHead(200, { 'content-type': reply.contentType }).end(reply.raw);
    return;
  }
  if ('status' in reply) {
    const error = { error: { message: reply.message ?? `fake error ${reply.status}`, type: 'invalid_request_error', code: null } };
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(error));
    return;
  }
  const base = { id: 'chatcmpl-fake', created: Math.floor(Date.now() / 1000), model: body.model ?? 'fake' };
  if (!body.stream || reply.ignoreStream) {
    const message = { role: 'assistant', content: reply.content };
    res.writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: 'stop' }] }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(event({ role: 'assistant', content: '' }));
  for (const piece of pieces(reply.content, reply.chunks ?? 8)) {
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs, timers);
    if (res.destroyed) return;
    res.write(event({ content: piece }));
  }
  res.write(event({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

/** A port that was just free and is now closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
