import { COMMAND_WORDS } from '../../src/i18n/commands';
import { LEAD_COMMAND_WORDS, parseLeadCommand } from '../../src/i18n/lead-commands';

describe('lead commands typed in a channel', () => {
  it.each([
    ['push f1-a', { command: 'push', lessonId: 'f1-a' }],
    ['Publier F1-A', { command: 'push', lessonId: 'f1-a' }],
    ['toewijzen f1-b', { command: 'assign', lessonId: 'f1-b' }],
    [
      'planen zuweisen f1-b 2026-12-01 09:00',
      { command: 'schedule', action: 'assign', lessonId: 'f1-b', localTime: '2026-12-01 09:00' },
    ],
    ['annuler ab12cd', { command: 'cancel', scheduleId: 'ab12cd' }],
    ['Rapport', { command: 'report', csv: false }],
    ['verslag CSV', { command: 'report', csv: true }],
    ['bericht exportieren', { command: 'report', csv: true }],
    ['leaderboard', { command: 'leaderboard', enabled: undefined }],
    ['classement oui', { command: 'leaderboard', enabled: true }],
    ['ranglijst uit', { command: 'leaderboard', enabled: false }],
    ['Rangliste ein', { command: 'leaderboard', enabled: true }],
    ['rangliste whatever', { command: 'leaderboard', enabled: undefined }],
    // IANA names are case-sensitive: the zone is kept as typed.
    ['tijdzone America/New_York', { command: 'timezone', zone: 'America/New_York' }],
    ['Zeitzone', { command: 'timezone', zone: '' }],
    [
      'lead add sofie@defence.example',
      { command: 'lead', change: 'add', target: 'sofie@defence.example' },
    ],
  ])('%s', (text, expected) => {
    expect(parseLeadCommand(text)).toEqual(expected);
  });

  it('leaves anything else to the learner commands', () => {
    for (const text of ['next', 'progress', 'help', '', '   ', 'hello there'])
      expect(parseLeadCommand(text)).toBeUndefined();
  });

  it('never gives one word to two commands, lead or learner', () => {
    const words = [...Object.values(LEAD_COMMAND_WORDS), ...Object.values(COMMAND_WORDS)].flat();
    expect(words.filter((word, i) => words.indexOf(word) !== i)).toEqual([]);
  });
});
