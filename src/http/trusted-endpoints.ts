/**
 * Where Brevet sends what it holds: the bot's token only to Bot Framework service URLs, files only
 * to SharePoint/OneDrive upload sessions. Loopback HTTP is allowed only for local use (no BOT_ID:
 * no token is ever attached) and in test mode (the stand-ins in tests/).
 */

// Teams' channel service per cloud (the serviceUrl of every activity Teams sends): public cloud
// smba.trafficmanager.net/<region>/, GCC, GCC High and DoD.
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#base-uri
const BOT_FRAMEWORK_HOSTS = [
  'smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
];
const BOT_FRAMEWORK_DOMAINS = ['.botframework.com'];

// Upload sessions Teams opens for a file consent card are on the user's OneDrive for Business,
// i.e. SharePoint Online (<tenant>-my.sharepoint.com; .us and .de for national clouds).
const UPLOAD_DOMAINS = ['.sharepoint.com', '.sharepoint.us', '.sharepoint.de'];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export interface EndpointPolicy {
  /** http://127.0.0.1, [::1] and localhost are acceptable (local use or tests). */
  allowLoopback: boolean;
}

function parse(value: unknown): URL | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isLoopback(url: URL, policy: EndpointPolicy): boolean {
  return (
    policy.allowLoopback &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    LOOPBACK_HOSTS.has(url.hostname)
  );
}

function onHost(url: URL, hosts: readonly string[], domains: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    (hosts.includes(host) || domains.some((domain) => host.endsWith(domain)))
  );
}

/** An http(s) URL at all (what an activity's serviceUrl must be before anything else). */
export function isHttpUrl(value: unknown): boolean {
  const url = parse(value);
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:');
}

/** A Bot Framework (Teams channel service) URL: the only place the bot's token may go. */
export function isBotFrameworkServiceUrl(value: unknown, policy: EndpointPolicy): boolean {
  const url = parse(value);
  if (!url) return false;
  return isLoopback(url, policy) || onHost(url, BOT_FRAMEWORK_HOSTS, BOT_FRAMEWORK_DOMAINS);
}

/** A OneDrive/SharePoint upload session URL: the only place an exported file may go. */
export function isFileUploadUrl(value: unknown, policy: EndpointPolicy): boolean {
  const url = parse(value);
  if (!url) return false;
  return isLoopback(url, policy) || onHost(url, [], UPLOAD_DOMAINS);
}
