import { count } from 'drizzle-orm';
import { createApp } from '../../server/app.js';
import { readConfig } from '../../server/config.js';
import { openDb, type Db } from '../../server/store/db.js';
import { runs } from '../../server/store/schema.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

/** An app on a fresh in-memory database with the real migrations. */
export function pageApp(env: NodeJS.ProcessEnv = {}) {
  const { db } = openDb(':memory:');
  const app = createApp({ config: readConfig(env), taxonomy: builtinTaxonomy(), db });
  return { app, db };
}

export type PageApp = ReturnType<typeof pageApp>['app'];

export function runCount(db: Db): number {
  return db.select({ n: count() }).from(runs).get()!.n;
}

export interface FormFields {
  log?: string;
  config?: string;
  listed?: boolean;
  stderr?: { name: string; content: BlobPart };
  configFile?: { name: string; content: BlobPart };
}

/** The diagnose form as a browser sends it: every field present, empty file parts included. */
export function formData(f: FormFields): FormData {
  const fd = new FormData();
  fd.set('log', f.log ?? '');
  fd.set('stderr', f.stderr ? new File([f.stderr.content], f.stderr.name) : new File([], ''));
  fd.set('config', f.config ?? '');
  fd.set('configFile', f.configFile ? new File([f.configFile.content], f.configFile.name) : new File([], ''));
  if (f.listed) fd.set('listed', 'on');
  return fd;
}

export function postForm(app: PageApp, f: FormFields, headers: Record<string, string> = {}) {
  return app.request('/runs', { method: 'POST', body: formData(f), headers });
}

/** Posts a form that must succeed; returns the run's path. */
export async function createRunVia(app: PageApp, f: FormFields): Promise<string> {
  const res = await postForm(app, f);
  if (res.status !== 303) throw new Error(`expected 303, got ${res.status}: ${await res.text()}`);
  return res.headers.get('location')!;
}

export const HTMX = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };
