import { randomBytes } from 'node:crypto';

// A run link is its only access control for unlisted runs, so ids must be unguessable:
// 128 random bits, base64url without padding = exactly 22 characters.
export function newRunId(): string {
  return randomBytes(16).toString('base64url');
}

const RUN_ID = /^[A-Za-z0-9_-]{22}$/;

/** Routes check this before any query, so `../`, `%2e%2e` or over-long ids never reach SQL. */
export function isRunId(s: string): boolean {
  return RUN_ID.test(s);
}
