/**
 * Where a server's CPU time goes, from a V8 .cpuprofile (`BENCH_CPU_PROF=brevet npm run bench`
 * writes bench/out/profiles/brevet.cpuprofile):
 *
 *   npx tsx bench/profile-summary.ts bench/out/profiles/brevet.cpuprofile [top]
 *
 * Prints self time by package (a node_modules package, src/, node internals, GC) and the top
 * frames by self and by inclusive time (each sample counted once per frame on its stack).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, '..');

function where(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = file.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? file);
  }
  if (file.startsWith('node:')) return 'node internals';
  if (file === '') return '(native / V8)';
  const relative = path.relative(ROOT, file).replace(/^bench\/out\/build\//, '');
  return relative.split('/').slice(0, 2).join('/');
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '');
  const short = file.startsWith(ROOT) ? path.relative(ROOT, file) : file;
  return `${name} ${short.replace(/^bench\/out\/build\//, '')}:${lineNumber + 1}`;
}

function summarise(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const node = byId.get(id) as ProfileNode;
    const name = node.callFrame.functionName;
    if (name === '(idle)') {
      idle += ms;
      return;
    }
    total += ms;
    const key = frameName(node);
    self.set(key, (self.get(key) ?? 0) + ms);
    const bucket = name.startsWith('(') ? name : where(node.callFrame.url);
    packages.set(bucket, (packages.get(bucket) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at) as ProfileNode;
      if (frame.callFrame.functionName === '(root)') continue;
      const frameKey = frameName(frame);
      if (seen.has(frameKey)) continue;
      seen.add(frameKey);
      inclusive.set(frameKey, (inclusive.get(frameKey) ?? 0) + ms);
    }
  });

  const table = (title: string, entries: Map<string, number>, rows: number) => [
    '',
    `| ${title} | ms | % of busy |`,
    '| --- | ---: | ---: |',
    ...[...entries.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(([key, ms]) => `| \`${key}\` | ${ms.toFixed(0)} | ${((ms / total) * 100).toFixed(1)} |`),
  ];
  return [
    `busy ${total.toFixed(0)} ms, idle ${idle.toFixed(0)} ms`,
    ...table('self time by package', packages, top),
    ...table('top frames, self time', self, top),
    ...table('top frames, inclusive time', inclusive, top * 2),
  ].join('\n');
}

const [file, top] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
process.stdout.write(`${summarise(profile, Number(top ?? 20))}\n`);
