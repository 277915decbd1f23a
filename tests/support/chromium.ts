import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); playwright-core never downloads a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep headless Chromium quiet and offline in a container. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Belt and braces next to the request filter below: nothing but loopback resolves.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]',
];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface LaunchedChromium {
  context: BrowserContext;
  /** The context's first tab. */
  page: Page;
  /** Requests the filter refused (anything not on loopback), for diagnostics. */
  blocked: string[];
  /** Closes the browser (bounded in time) and removes its profile; safe to call twice. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Default timeout of every page action and wait (ms). */
  timeoutMs?: number;
  viewport?: { width: number; height: number };
  /** Extra hosts the page may reach besides loopback (none by default). */
  allowHosts?: string[];
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts headless Debian Chromium with a fresh profile (its own --user-data-dir, removed on
 * close). Every request that is not for loopback (or `data:`/`blob:`) is aborted and recorded
 * in `blocked`, so a browser test never reaches the network.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` ` +
        '(or set CHROMIUM_PATH). Browser tests do not download a browser.',
    );
  }
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'brevet-chromium-'));
  const removeProfile = () => rmSync(userDataDir, { recursive: true, force: true });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1400, height: 1000 },
      locale: 'en-US',
      timeout: 30_000,
    });
  } catch (error) {
    removeProfile();
    throw error;
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  context.setDefaultTimeout(timeoutMs);
  context.setDefaultNavigationTimeout(Math.max(timeoutMs, 30_000));

  const allowed = new Set([...LOOPBACK_HOSTS, ...(options.allowHosts ?? [])]);
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || allowed.has(url.hostname)) {
      return route.continue();
    }
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });

  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    blocked,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await withTimeout(context.close(), 15_000, 'closing Chromium');
      } finally {
        removeProfile();
      }
    },
  };
}
