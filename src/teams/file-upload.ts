/**
 * Uploads a file to the OneDrive upload session Teams opens when a user accepts a file consent
 * card (`uploadInfo.uploadUrl`): PUT requests with Content-Range, in fragments that are
 * multiples of 320 KiB as upload sessions require (the last one excepted). Intermediate
 * fragments are answered 202 Accepted, the last 200 or 201 with the created item.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4
 * https://learn.microsoft.com/graph/api/driveitem-createuploadsession
 */

import { type EndpointPolicy, isFileUploadUrl } from '../http/trusted-endpoints';

const FRAGMENT_UNIT = 320 * 1024;
/** 12 × 320 KiB (3.75 MiB): a 25,000-member export takes one or two requests. */
export const DEFAULT_FRAGMENT_BYTES = 12 * FRAGMENT_UNIT;

export class UploadFailed extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UploadFailed';
  }
}

export async function uploadToSession(
  uploadUrl: string,
  content: Buffer,
  options: { policy: EndpointPolicy; fragmentBytes?: number; timeoutMs?: number },
): Promise<void> {
  // Only OneDrive/SharePoint upload sessions (loopback for the tests' stand-in): anything else
  // is refused before a byte leaves.
  if (!isFileUploadUrl(uploadUrl, options.policy)) throw new UploadFailed('upload URL refused');
  const fragment = options.fragmentBytes ?? DEFAULT_FRAGMENT_BYTES;
  if (fragment % FRAGMENT_UNIT !== 0) throw new RangeError('fragments are multiples of 320 KiB');
  const total = content.length;
  if (total === 0) throw new UploadFailed('nothing to upload');
  for (let start = 0; start < total; start += fragment) {
    const end = Math.min(start + fragment, total);
    const response = await fetch(uploadUrl, {
      method: 'PUT',
      headers: {
        'Content-Length': String(end - start),
        'Content-Range': `bytes ${start}-${end - 1}/${total}`,
      },
      body: content.subarray(start, end),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    }).catch((error: Error) => {
      throw new UploadFailed(`upload: ${error.name}`);
    });
    await response.body?.cancel();
    const last = end >= total;
    const expected = last ? [200, 201] : [202];
    if (!expected.includes(response.status))
      throw new UploadFailed(`upload: HTTP ${response.status}`, response.status);
  }
}
