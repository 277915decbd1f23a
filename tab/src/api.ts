/** GET /api/me/progress with the Teams SSO token (served by the same server as the tab). */
import { readProgressDocument, type ProgressDocument } from './progress';
import { TEAMS_TIMEOUT_MS } from './teams';

export const PROGRESS_URL = '/api/me/progress';

/** Why the progress could not be shown; each kind has its own "what to do" message. */
export type LoadFailure =
  /** Teams gave no SSO token (refused, or no answer in time). */
  | { kind: 'signIn'; timedOut: boolean }
  /** The server refused the token (401). */
  | { kind: 'notAccepted' }
  /** The server has no SSO configuration (503 sso_not_configured). */
  | { kind: 'notConfigured' }
  /** Network error, timeout, 5xx or an unreadable answer. */
  | { kind: 'unavailable'; timedOut: boolean };

export class LoadError extends Error {
  constructor(readonly failure: LoadFailure) {
    super(failure.kind);
  }
}

export async function fetchProgress(token: string, locale: string): Promise<ProgressDocument> {
  let response: Response;
  try {
    response = await fetch(PROGRESS_URL, {
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        // The language of a learner the bot has not met yet (the server keeps a known learner's).
        'Accept-Language': locale,
      },
      cache: 'no-store',
      signal: AbortSignal.timeout(TEAMS_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = (error as Error)?.name === 'TimeoutError';
    throw new LoadError({ kind: 'unavailable', timedOut });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 401) throw new LoadError({ kind: 'notAccepted' });
  if (
    response.status === 503 &&
    (body as { error?: unknown } | undefined)?.error === 'sso_not_configured'
  )
    throw new LoadError({ kind: 'notConfigured' });
  const document = response.ok ? readProgressDocument(body) : undefined;
  if (!document) throw new LoadError({ kind: 'unavailable', timedOut: false });
  return document;
}

export const MY_DATA_URL = '/api/me/data';

/** GET /api/me/data: everything Brevet keeps about the signed-in learner, as a JSON file. */
export async function fetchMyData(token: string): Promise<Blob> {
  const response = await fetch(MY_DATA_URL, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    cache: 'no-store',
    signal: AbortSignal.timeout(TEAMS_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`my data: HTTP ${response.status}`);
  return new Blob([await response.arrayBuffer()], { type: 'application/json' });
}

/** DELETE /api/me/data: erases it (the server answers 204). */
export async function eraseMyData(token: string): Promise<void> {
  const response = await fetch(MY_DATA_URL, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(TEAMS_TIMEOUT_MS),
  });
  if (response.status !== 204) throw new Error(`erase: HTTP ${response.status}`);
}
