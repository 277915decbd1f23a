import { LoopbackServer, sendJson } from './loopback-server';

describe('the loopback stand-ins’ server', () => {
  it('listens on 127.0.0.1, answers JSON with status and headers, counts requests, and stops', async () => {
    const server = new LoopbackServer((_req, res) =>
      sendJson(res, 429, { error: 'slow down' }, { 'Retry-After': '2' }),
    );
    await server.start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/anything`);
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({ error: 'slow down' });
    await fetch(server.url);
    expect(server.requestCount).toBe(2);
    // Keep-alive connections from fetch do not hold the stop.
    const url = server.url;
    await server.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});
