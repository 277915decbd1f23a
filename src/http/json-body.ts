import { type IncomingMessage } from 'node:http';

/** A request body Brevet will not read, with the HTTP answer it gets. */
export class BodyRefused extends Error {
  constructor(
    readonly status: 400 | 411 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BodyRefused';
  }
}

/** The media type of a Content-Type header, lower case, without parameters. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * Reads a JSON request body, before anything is authenticated, so it refuses early and cheaply:
 * only `application/json` (415 otherwise, multipart included: nothing is ever written to disk),
 * no Content-Encoding (415: a small gzip body could inflate far past the limit), and at most
 * `maxBytes` of body actually received (413 as soon as the declared length or the bytes read pass
 * it; the rest of the body is not read). Malformed JSON is a 400.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity')
    throw new BodyRefused(415, 'unsupported_content_encoding', 'send the body uncompressed');
  if (mediaType(req.headers['content-type']) !== 'application/json')
    throw new BodyRefused(415, 'unsupported_media_type', 'the body must be application/json');
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes)
    throw new BodyRefused(413, 'body_too_large', `the body is limited to ${maxBytes} bytes`);

  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', stop);
      if (error) {
        // Stop reading without destroying the socket: the caller still answers (and closes).
        req.pause();
        reject(error);
      }
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes)
        stop(new BodyRefused(413, 'body_too_large', `the body is limited to ${maxBytes} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, received));
    };
    req.on('data', onData).on('end', onEnd).on('error', stop);
  });
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyRefused(400, 'invalid_json', 'the body is not valid JSON');
  }
}
