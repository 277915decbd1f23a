import { type Attachment, type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { renderLeadNotice } from '../../cards/unit-cards';
import { type OutboxPayload } from '../../delivery/outbox-types';
import { formatDate, type Language } from '../../i18n/languages';
import { translate } from '../../i18n/messages';
import { memberReportCsv } from '../../units/report-csv';
import { type Member, type StoredTeam } from '../../units/unit-store';
import { type BotDeps, fallbackLanguage, followClient } from '../bot-deps';
import { sendCard } from '../card-replies';
import { uploadToSession } from '../file-upload';
import { teamRoster } from '../team-context';
import { replyWithApologyOnFailure } from '../turn-guard';
import { turnOrigin } from '../turn-identity';

/**
 * The lead's per-member export (issue 5, `report`): a CSV file sent in the lead's 1:1 chat with
 * Teams' file consent flow (bots-filesv4): Brevet offers the file with a consent card, the lead
 * accepts, Teams opens an upload session in their OneDrive, Brevet uploads and posts the file
 * card. The file is built when the lead accepts, from the roster and the database as they are
 * then, after the lead's role is checked again for the team the card names.
 */

const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';
const EXPORT_KIND = 'report-csv';

/** The file consent card of an export (rendered by the outbox sender). */
export function reportConsentCard(
  language: Language,
  payload: Extract<OutboxPayload, { type: 'report-export' }>,
): Attachment {
  const context = { kind: EXPORT_KIND, teamId: payload.teamId };
  return {
    contentType: FILE_CONSENT_CARD,
    name: payload.fileName,
    content: {
      description: translate(language, 'export.consent', {
        team: payload.teamName,
        members: payload.members,
        date: formatDate(language, payload.date),
      }),
      sizeInBytes: payload.sizeInBytes,
      acceptContext: context,
      declineContext: context,
    },
  };
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

const CONSENT = z.object({
  context: z.object({ kind: z.literal(EXPORT_KIND), teamId: z.string().min(1).max(200) }),
  uploadInfo: z
    .object({
      uploadUrl: z.string().url(),
      contentUrl: z.string().url(),
      name: z.string().min(1).max(255),
      uniqueId: z.string().max(200).optional(),
      fileType: z.string().max(20).optional(),
    })
    .optional(),
});

/** The lead's language in their 1:1 chat. */
async function languageOf(context: TurnContext, deps: BotDeps): Promise<Language> {
  const origin = turnOrigin(context);
  const known = origin.identity && (await deps.learning.findLearner(origin.identity));
  return known ? (await followClient(deps, known, origin)).language : fallbackLanguage(context);
}

export function registerReportExport(app: Application<TurnState>, deps: BotDeps): void {
  app.fileConsentAccept(async (context, _state, response) =>
    replyWithApologyOnFailure(context, deps, async () => {
      const language = await languageOf(context, deps);
      const parsed = CONSENT.safeParse(response);
      const upload = parsed.success ? parsed.data.uploadInfo : undefined;
      const team = parsed.success ? await deps.units.team(parsed.data.context.teamId) : undefined;
      const userKey = turnOrigin(context).identity?.userKey ?? '';
      // The card names the team; who may export it is decided here, from the sender.
      if (!upload || !team || (await deps.units.roleOf(team, userKey)) === 'member') {
        deps.logger.info('report export refused');
        await sendCard(context, renderLeadNotice(language, 'lead.notAllowed', {}, 'attention'));
        return;
      }
      const members = await teamRoster(context, team.teamId);
      const csv = await buildExport(deps, team, language, members);
      try {
        await uploadToSession(upload.uploadUrl, csv);
      } catch (error) {
        deps.logger.warn({ err: error }, 'report export upload failed');
        await sendCard(context, renderLeadNotice(language, 'export.failed', {}, 'attention'));
        return;
      }
      await context.sendActivity({
        text: translate(language, 'export.uploaded', { team: team.name ?? '' }),
        attachments: [
          {
            contentType: FILE_INFO_CARD,
            contentUrl: upload.contentUrl,
            name: upload.name,
            content: { uniqueId: upload.uniqueId, fileType: upload.fileType ?? 'csv' },
          },
        ],
      });
      deps.logger.info({ teamMembers: members.length, bytes: csv.length }, 'report exported');
    }),
  );

  app.fileConsentDecline(async (context) =>
    replyWithApologyOnFailure(context, deps, async () => {
      await sendCard(context, renderLeadNotice(await languageOf(context, deps), 'export.declined'));
    }),
  );
}
