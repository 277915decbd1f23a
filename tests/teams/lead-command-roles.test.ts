import { LEAD_COMMANDS, parseLeadCommand } from '../../src/i18n/lead-commands';
import { leastRoleOf } from '../../src/teams/features/lead-commands';

// Every lead command as typed, with the least role that may run it.
const LEAST_ROLES = [
  ['push f1-a', 'lead'],
  ['push', 'lead'],
  ['assign f1-a', 'lead'],
  ['schedule push f1-a 2026-12-01 08:30', 'lead'],
  ['scheduled', 'lead'],
  ['cancel a1b2c3', 'lead'],
  ['report', 'lead'],
  ['report csv', 'lead'],
  ['deliveries', 'lead'],
  ['timezone', 'lead'],
  ['timezone Europe/Berlin', 'lead'],
  // Looking at the leaderboard is for everyone in the team; switching it, the training office's.
  ['leaderboard', 'member'],
  ['leaderboard on', 'admin'],
  ['leaderboard off', 'admin'],
  // Naming leads is the training office's, even asking how.
  ['lead add someone@defence.example', 'admin'],
  ['lead remove someone@defence.example', 'admin'],
  ['lead', 'admin'],
] as const;

describe('the least role of each lead command', () => {
  it.each(LEAST_ROLES)('“%s” needs at least: %s', (text, role) => {
    expect(leastRoleOf(parseLeadCommand(text)!)).toBe(role);
  });

  it('is listed above for every lead command there is', () => {
    const listed = new Set(LEAST_ROLES.map(([text]) => parseLeadCommand(text)!.command));
    expect([...listed].sort()).toEqual([...LEAD_COMMANDS].sort());
  });
});
