import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A self-signed TLS certificate for 127.0.0.1 (EC P-256, valid 2000–2100, so that tests moving
 * the clock stay inside it), made with the system's OpenSSL once per test process. Loopback
 * stand-ins serve it (MSAL signs in over HTTPS only) and the app trusts this one certificate for
 * them. Made here rather than committed, so that no private key lives in the repository.
 */
let made: { key: string; cert: string } | undefined;

export function loopbackTls(): { key: string; cert: string } {
  if (made) return made;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'brevet-tls-'));
  try {
    const file = (name: string) => path.join(dir, name);
    // `openssl ca` rather than `req -x509`: only `ca` can set a start date in the past.
    writeFileSync(
      file('ca.cnf'),
      [
        '[ca]',
        'default_ca=l',
        '[l]',
        `dir=${dir}`,
        'database=$dir/index.txt',
        'serial=$dir/serial',
        'new_certs_dir=$dir',
        'default_md=sha256',
        'policy=p',
        'x509_extensions=x',
        '[p]',
        'commonName=supplied',
        '[x]',
        'basicConstraints=critical,CA:TRUE',
        'subjectAltName=IP:127.0.0.1',
        '',
      ].join('\n'),
    );
    writeFileSync(file('index.txt'), '');
    writeFileSync(file('serial'), '01\n');
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=Brevet test stand-in (127.0.0.1)',
      '-keyout',
      file('key.pem'),
      '-out',
      file('req.csr'),
    ]);
    run([
      'ca',
      '-batch',
      '-config',
      file('ca.cnf'),
      '-selfsign',
      '-keyfile',
      file('key.pem'),
      '-in',
      file('req.csr'),
      '-out',
      file('cert.pem'),
      '-startdate',
      '20000101000000Z',
      '-enddate',
      '21000101000000Z',
      '-notext',
    ]);
    made = {
      key: readFileSync(file('key.pem'), 'utf8'),
      cert: readFileSync(file('cert.pem'), 'utf8'),
    };
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
