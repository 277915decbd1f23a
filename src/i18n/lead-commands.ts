import { normaliseWord, OFF_WORDS, ON_WORDS } from './commands';

/** Commands of unit leads (and admins) in a team channel. */
export const LEAD_COMMANDS = [
  'push',
  'assign',
  'schedule',
  'scheduled',
  'cancel',
  'report',
  'deliveries',
  'lead',
  'leaderboard',
  'timezone',
] as const;
export type LeadCommand = (typeof LEAD_COMMANDS)[number];

/** Every word naming a lead command, in the four languages (compared without accents or case). */
export const LEAD_COMMAND_WORDS: Record<LeadCommand, readonly string[]> = {
  push: ['push', 'publier', 'publiceer', 'publiceren', 'posten', 'veroffentlichen'],
  assign: ['assign', 'assigner', 'attribuer', 'toewijzen', 'zuweisen'],
  schedule: ['schedule', 'planifier', 'plannen', 'inplannen', 'planen'],
  scheduled: ['scheduled', 'planifies', 'planifie', 'gepland', 'geplant'],
  cancel: ['cancel', 'annuler', 'annuleer', 'annuleren', 'abbrechen', 'stornieren'],
  report: ['report', 'rapport', 'verslag', 'bericht'],
  deliveries: ['deliveries', 'envois', 'verzendingen', 'zustellungen'],
  lead: ['lead', 'responsable', 'verantwoordelijke', 'leitung'],
  leaderboard: ['leaderboard', 'classement', 'ranglijst', 'klassement', 'rangliste', 'bestenliste'],
  timezone: ['timezone', 'fuseau', 'tijdzone', 'zeitzone'],
};

const CSV_WORDS = ['csv', 'export', 'exporter', 'exporteren', 'exportieren'];
const ADD_WORDS = ['add', 'ajouter', 'toevoegen', 'hinzufugen'];
const REMOVE_WORDS = ['remove', 'retirer', 'verwijderen', 'entfernen'];

/** A lead command as typed in a channel (the @mention of the bot already removed). */
export type ParsedLeadCommand =
  | { command: 'push' | 'assign'; lessonId: string | undefined }
  | {
      command: 'schedule';
      action: 'push' | 'assign' | undefined;
      lessonId: string | undefined;
      localTime: string;
    }
  | { command: 'scheduled' | 'deliveries' }
  /** `csv`: the per-member export, sent as a file in the lead's 1:1 chat. */
  | { command: 'report'; csv: boolean }
  | { command: 'cancel'; scheduleId: string | undefined }
  | { command: 'lead'; change: 'add' | 'remove' | undefined; target: string }
  /** `enabled` undefined: show the leaderboard; true/false: an admin turns it on or off. */
  | { command: 'leaderboard'; enabled: boolean | undefined }
  /** `zone` as typed (IANA names are case-sensitive), empty to show the team's zone. */
  | { command: 'timezone'; zone: string };

function commandOf(word: string | undefined): LeadCommand | undefined {
  return LEAD_COMMANDS.find((name) => LEAD_COMMAND_WORDS[name].includes(word ?? ''));
}

export function parseLeadCommand(text: string | undefined | null): ParsedLeadCommand | undefined {
  const raw = (text ?? '').trim().split(/\s+/).filter(Boolean);
  const words = raw.map(normaliseWord);
  const command = commandOf(words[0]);
  switch (command) {
    case undefined:
      return undefined;
    case 'push':
    case 'assign':
      return { command, lessonId: words[1] };
    case 'schedule': {
      const action = commandOf(words[1]);
      return {
        command,
        action: action === 'push' || action === 'assign' ? action : undefined,
        lessonId: words[2],
        localTime: raw.slice(3).join(' '),
      };
    }
    case 'cancel':
      return { command, scheduleId: words[1] };
    case 'lead': {
      const change = ADD_WORDS.includes(words[1] ?? '')
        ? 'add'
        : REMOVE_WORDS.includes(words[1] ?? '')
          ? 'remove'
          : undefined;
      return { command, change, target: raw.slice(2).join(' ') };
    }
    case 'leaderboard': {
      const switchTo = words[1];
      return {
        command,
        enabled: ON_WORDS.includes(switchTo ?? '')
          ? true
          : OFF_WORDS.includes(switchTo ?? '')
            ? false
            : undefined,
      };
    }
    case 'report':
      return { command, csv: CSV_WORDS.includes(words[1] ?? '') };
    case 'timezone':
      return { command, zone: raw[1] ?? '' };
    default:
      return { command };
  }
}
