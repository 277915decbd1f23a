import { generateKeyPair, randomUUID, type JsonWebKey, type KeyObject } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { LoopbackServer, sendJson } from './loopback-server';

/**
 * A loopback OpenID provider for tests: an OpenID metadata document and its JWKS served on
 * 127.0.0.1, and a signer for tokens that validate against them. It stands in for the Bot
 * Framework's channel keys (inbound bot auth, BOT_OPENID_METADATA_URL / BOT_TOKEN_ISSUER) and for
 * Entra ID (tab SSO, AAD_OPENID_METADATA_URL).
 *
 * Tokens are signed with `jose`. jose 6 is ESM-only and Jest runs the suite as CommonJS, so jose
 * runs in a worker thread (plain Node, real ESM loader) and the test side talks to it by message.
 */

/** A signing key of the issuer. */
export interface IssuerKeyOptions {
  kid: string;
  /**
   * Bot Framework keys carry the channels they may sign for; botbuilder refuses a token whose
   * key has endorsements that do not include the activity's channelId (e.g. `msteams`).
   */
  endorsements?: string[];
  /** False: the key signs but is not in the JWKS (a forger's key). Default true. */
  published?: boolean;
}

export interface TokenIssuerOptions {
  /** The `issuer` of the metadata and the default `iss` of tokens. Default: the base URL. */
  issuer?: string | ((baseUrl: string) => string);
  /** The signing keys; the first published one signs by default. Default: one key, `test-key-1`. */
  keys?: IssuerKeyOptions[];
}

/** Claims of a token; a claim set to `undefined` is left out (e.g. `{ exp: undefined }`). */
export type TokenClaims = Record<string, unknown>;

export interface SignOptions {
  /** Which key signs (its kid). Default: the first published key. */
  key?: string;
  /** The `kid` header, when it must differ from the signing key's (a forged token). */
  kid?: string;
  /** Extra protected header parameters (e.g. `x5t` for Entra-style tokens). */
  header?: Record<string, unknown>;
}

export interface TokenIssuer {
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  /** The OpenID metadata document (`/.well-known/openid-configuration`). */
  readonly metadataUrl: string;
  /** The JWKS (`/keys`). */
  readonly jwksUrl: string;
  readonly issuer: string;
  /** Paths requested so far, in order (e.g. to check the app fetched the metadata and keys). */
  readonly requests: string[];
  /**
   * An RS256 token. Defaults: `iss` = the issuer, `iat` and `nbf` = now, `exp` = now + 1 hour;
   * `claims` override them (numbers in seconds since the epoch, see `epochSeconds`).
   */
  sign(claims: TokenClaims, options?: SignOptions): Promise<string>;
  stop(): Promise<void>;
}

/** Seconds since the epoch, `offsetSeconds` from now: the unit of `iat`, `nbf` and `exp`. */
export function epochSeconds(offsetSeconds = 0): number {
  return Math.floor(Date.now() / 1000) + offsetSeconds;
}

const SIGN_TIMEOUT_MS = 10_000;

// Runs in the worker: imports jose (ESM) and signs what the test side asks for.
const SIGNER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const jose = import(workerData.joseUrl);
const keys = new Map();
parentPort.on('message', async ({ id, jwk, header, payload }) => {
  try {
    const { importJWK, SignJWT } = await jose;
    const cacheKey = jwk.n;
    if (!keys.has(cacheKey)) keys.set(cacheKey, await importJWK(jwk, header.alg));
    const token = await new SignJWT(payload).setProtectedHeader(header).sign(keys.get(cacheKey));
    parentPort.postMessage({ id, token });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
`;

interface SigningKey {
  kid: string;
  endorsements?: string[];
  published: boolean;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
}

async function createKey(options: IssuerKeyOptions): Promise<SigningKey> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
  });
  return {
    kid: options.kid,
    endorsements: options.endorsements,
    published: options.published ?? true,
    privateJwk: (privateKey as KeyObject).export({ format: 'jwk' }),
    publicJwk: (publicKey as KeyObject).export({ format: 'jwk' }),
  };
}

/** The signer worker: one per issuer, stopped with it. */
class JoseSigner {
  private readonly worker: Worker;
  private readonly pending = new Map<
    string,
    { resolve: (token: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();

  constructor() {
    this.worker = new Worker(SIGNER_SOURCE, {
      eval: true,
      workerData: { joseUrl: pathToFileURL(require.resolve('jose')).href },
    });
    this.worker.on('message', (message: { id: string; token?: string; error?: string }) => {
      const request = this.pending.get(message.id);
      if (!request) return;
      this.pending.delete(message.id);
      clearTimeout(request.timer);
      if (message.token) request.resolve(message.token);
      else request.reject(new Error(`signing failed: ${message.error}`));
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => this.failAll(new Error('signer worker exited')));
  }

  sign(jwk: JsonWebKey, header: Record<string, unknown>, payload: TokenClaims): Promise<string> {
    const id = randomUUID();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`signing timed out after ${SIGN_TIMEOUT_MS} ms`));
      }, SIGN_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, jwk, header, payload });
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const [id, request] of this.pending) {
      clearTimeout(request.timer);
      request.reject(error);
      this.pending.delete(id);
    }
  }
}

/** Starts the issuer on a loopback port; `stop()` closes the server and the signer. */
export async function startTokenIssuer(options: TokenIssuerOptions = {}): Promise<TokenIssuer> {
  const keys = await Promise.all((options.keys ?? [{ kid: 'test-key-1' }]).map(createKey));
  const defaultKey = keys.find((key) => key.published);
  if (!defaultKey) throw new Error('the issuer needs at least one published key');

  const requests: string[] = [];
  let metadata: Record<string, unknown> = {};
  const jwks = {
    keys: keys
      .filter((key) => key.published)
      .map((key) => ({
        kty: 'RSA',
        use: 'sig',
        alg: 'RS256',
        kid: key.kid,
        n: key.publicJwk.n,
        e: key.publicJwk.e,
        ...(key.endorsements ? { endorsements: key.endorsements } : {}),
      })),
  };

  const server = new LoopbackServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    const body =
      req.method !== 'GET'
        ? undefined
        : path === '/.well-known/openid-configuration'
          ? metadata
          : path === '/keys'
            ? jwks
            : undefined;
    sendJson(res, body ? 200 : 404, body ?? { error: 'not_found' });
  });
  await server.start();
  const baseUrl = server.url;
  const issuer =
    typeof options.issuer === 'function' ? options.issuer(baseUrl) : (options.issuer ?? baseUrl);
  const jwksUrl = `${baseUrl}/keys`;
  metadata = {
    issuer,
    jwks_uri: jwksUrl,
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
  };

  const signer = new JoseSigner();

  return {
    baseUrl,
    metadataUrl: `${baseUrl}/.well-known/openid-configuration`,
    jwksUrl,
    issuer,
    requests,
    async sign(claims, signOptions = {}) {
      const key = signOptions.key ? keys.find((k) => k.kid === signOptions.key) : defaultKey;
      if (!key) throw new Error(`no key ${signOptions.key}`);
      const now = epochSeconds();
      const payload = Object.fromEntries(
        Object.entries({ iss: issuer, iat: now, nbf: now, exp: now + 3600, ...claims }).filter(
          ([, value]) => value !== undefined,
        ),
      );
      const header = {
        typ: 'JWT',
        ...signOptions.header,
        alg: 'RS256',
        kid: signOptions.kid ?? key.kid,
      };
      return signer.sign(key.privateJwk, header, payload);
    },
    async stop() {
      await signer.stop();
      await server.stop();
    },
  };
}
