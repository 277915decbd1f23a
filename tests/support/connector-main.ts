/**
 * The child side of tests/support/connector-process.ts: a FakeConnector in a process of its own,
 * driven over IPC. Says `{ ready, url }` once listening; answers each `{ id, call, args }` with
 * `{ id, result }` or `{ id, error }`; stops on disconnect.
 */
import { FakeConnector, type FakeMember } from './fake-connector';

export type ConnectorCommand =
  | { call: 'setRoster'; args: [teamId: string, members: FakeMember[]] }
  | { call: 'throttleAbove'; args: [rps: number | undefined, retryAfterSeconds?: number] }
  | { call: 'setRecord'; args: [record: boolean] }
  | { call: 'sentCount'; args: [] }
  | { call: 'counts'; args: [] };

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('connector-main runs as a child with an IPC channel');
  const connector = await new FakeConnector().start();

  const run = (message: ConnectorCommand): unknown => {
    switch (message.call) {
      case 'setRoster':
        return connector.setRoster(...message.args);
      case 'throttleAbove':
        return connector.throttleAbove(...message.args);
      case 'setRecord':
        connector.record = message.args[0];
        return undefined;
      case 'sentCount':
        return connector.sentCount;
      case 'counts':
        return connector.counts();
    }
  };

  process.on('message', (message: ConnectorCommand & { id: number }) => {
    try {
      send({ id: message.id, result: run(message) });
    } catch (error) {
      send({ id: message.id, error: String((error as Error)?.message ?? error) });
    }
  });
  process.on('disconnect', () => void connector.stop().finally(() => process.exit(0)));
  send({ ready: true, url: connector.url });
}

void main();
