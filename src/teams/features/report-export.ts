import { type Attachment, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { renderLeadNotice } from '../../cards/unit-cards';
import { type OutboxPayload } from '../../delivery/outbox-types';
import { formatDate, type Language } from '../../i18n/languages';
import { translate } from '../../i18n/messages';
import { memberReportCsv } from '../../units/report-csv';
import { type Member, type StoredTeam } from '../../units/unit-store';
import { type BotDeps } from '../bot-deps';
import { fileConsentCard, type FileKind } from '../file-consent';
import { readRoster } from '../team-context';
import { turnOrigin } from '../turn-identity';

/**
 * The lead's per-member export (issue 5, `report`): a CSV file sent in the lead's 1:1 chat with
 * Teams' file consent flow (bots-filesv4): Brevet offers the file with a consent card, the lead
 * accepts, Teams opens an upload session in their OneDrive, Brevet uploads and posts the file
 * card. The file is built when the lead accepts, from the roster and the database as they are
 * then, after the lead's role is checked again for the team the card names.
 */

/** The `kind` of the report's file consent card. */
export const REPORT_FILE = 'report-csv';

/** The file consent card of an export (rendered by the outbox sender). */
export function reportConsentCard(
  language: Language,
  payload: Extract<OutboxPayload, { type: 'report-export' }>,
): Attachment {
  return fileConsentCard({
    name: payload.fileName,
    description: translate(language, 'export.consent', {
      team: payload.teamName,
      members: payload.members,
      date: formatDate(language, payload.date),
    }),
    sizeInBytes: payload.sizeInBytes,
    context: { kind: REPORT_FILE, teamId: payload.teamId },
  });
}

/** The export of a team in a language: each roster member's standing from the database. */
async function buildExport(
  deps: BotDeps,
  team: StoredTeam,
  language: Language,
  members: Member[],
): Promise<Buffer> {
  const rows = await deps.units.memberReport(team, members);
  return Buffer.from(memberReportCsv(rows, deps.programme, language), 'utf8');
}

/**
 * `report csv` (or the report card's button), already role-checked: offers the file in the
 * lead's 1:1 chat through the outbox (the worker is woken once the answer is sent), and says so
 * in the channel.
 */
export async function offerReportExport(
  context: TurnContext,
  deps: BotDeps,
  team: StoredTeam,
  language: Language,
  members: Member[],
) {
  const origin = turnOrigin(context);
  const requesterId = context.activity.from?.id;
  if (!origin.identity || !requesterId)
    return renderLeadNotice(language, 'lead.notAllowed', {}, 'attention');
  const csv = await buildExport(deps, team, language, members);
  await deps.units.requestReportExport({
    team,
    requester: { id: requesterId, userKey: origin.identity.userKey },
    language,
    members: members.length,
    sizeInBytes: csv.length,
  });
  deps.logger.info({ teamMembers: members.length }, 'report export offered');
  return renderLeadNotice(language, 'export.sent', {}, 'good');
}

const EXPORT_CONTEXT = z.object({ teamId: z.string().min(1).max(200) });

/** The report file of a consent's accept: the accepting person's role is checked here. */
export function reportFileKind(deps: BotDeps): FileKind {
  return {
    failed: 'export.failed',
    declined: 'export.declined',
    async build(context, consentContext, language) {
      const parsed = EXPORT_CONTEXT.safeParse(consentContext);
      const team = parsed.success ? await deps.units.team(parsed.data.teamId) : undefined;
      const userKey = turnOrigin(context).identity?.userKey ?? '';
      const refused = () => {
        deps.logger.info('report export refused');
        return { refusal: renderLeadNotice(language, 'lead.notAllowed', {}, 'attention') };
      };
      // The card names the team; who may export it is decided here, from the sender, against
      // the team's current roster: a lead who has left the team gets nothing from an old card.
      if (!team || (await deps.units.roleOf(team, userKey)) === 'member') return refused();
      const members = await readRoster(context, team, deps);
      if ((await deps.units.roleInRoster(team, userKey, members)) === 'member') return refused();
      const file = await buildExport(deps, team, language, members);
      deps.logger.info({ teamMembers: members.length }, 'report exported');
      return {
        file,
        fileType: 'csv',
        text: translate(language, 'export.uploaded', { team: team.name ?? '' }),
      };
    },
  };
}
