import { type ChildProcess } from 'node:child_process';

/**
 * The next IPC report of `type` from a bench child process; fails if the child exits first or
 * takes longer than `timeoutMs`. `label` names the child in the error ("app child", "echo server").
 */
export function childReply<R extends { type: string }, T extends R['type']>(
  child: ChildProcess,
  label: string,
  type: T,
  timeoutMs: number,
): Promise<Extract<R, { type: T }>> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', listener);
      child.off('exit', onExit);
    };
    const listener = (report: R) => {
      if (report.type !== type) return;
      done();
      resolve(report as Extract<R, { type: T }>);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`${label} exited (code ${code}) while the bench waited for ${type}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${label} did not answer ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', listener);
    child.once('exit', onExit);
  });
}
