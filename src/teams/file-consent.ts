import { type Attachment, type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { type AdaptiveCardJson } from '../cards/card-templates';
import { renderNotice } from '../cards/learner-cards';
import { type Language } from '../i18n/languages';
import { type MessageKey, translate } from '../i18n/messages';
import { type BotDeps, fallbackLanguage, followClient } from './bot-deps';
import { sendCard } from './card-replies';
import { uploadToSession } from './file-upload';
import { replyWithApologyOnFailure } from './turn-guard';
import { turnOrigin } from './turn-identity';

/**
 * Files Brevet sends in a 1:1 chat with Teams' file consent flow
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4): Brevet posts a
 * consent card naming the file; when the user accepts, Teams opens an upload session in their
 * OneDrive and invokes the bot (fileConsent/invoke) with its URL; Brevet builds the file then,
 * uploads it and posts the file card. The consent card's context says which kind of file it is;
 * who may have it is decided when the accept arrives, from its authenticated sender.
 */

const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

/** A file consent card: `context` comes back with the accept or decline (never trusted). */
export function fileConsentCard(input: {
  name: string;
  description: string;
  sizeInBytes: number;
  context: { kind: string } & Record<string, string>;
}): Attachment {
  return {
    contentType: FILE_CONSENT_CARD,
    name: input.name,
    content: {
      description: input.description,
      sizeInBytes: input.sizeInBytes,
      acceptContext: input.context,
      declineContext: input.context,
    },
  };
}

/** One kind of file: how to build it for the person who accepted, and what to tell them. */
export interface FileKind {
  /** The file, or the card that says why not (nothing is uploaded then). */
  build(
    context: TurnContext,
    consentContext: Record<string, unknown>,
    language: Language,
  ): Promise<{ file: Buffer; text: string; fileType: string } | { refusal: AdaptiveCardJson }>;
  failed: MessageKey;
  declined: MessageKey;
}

const CONSENT = z.object({
  context: z.object({ kind: z.string().max(32) }).passthrough(),
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

/** The person's language in their 1:1 chat. */
export async function chatLanguage(context: TurnContext, deps: BotDeps): Promise<Language> {
  const origin = turnOrigin(context);
  const known = origin.identity && (await deps.learning.findLearner(origin.identity));
  return known ? (await followClient(deps, known, origin)).language : fallbackLanguage(context);
}

function notice(language: Language, key: MessageKey, tone: 'default' | 'attention' = 'default') {
  return renderNotice({ title: 'Brevet', lines: [translate(language, key)], tone });
}

/** The accept and decline of every file consent card, dispatched on the card's `kind`. */
export function registerFileConsent(
  app: Application<TurnState>,
  deps: BotDeps,
  kinds: Record<string, FileKind>,
): void {
  app.fileConsentAccept(async (context, _state, response) =>
    replyWithApologyOnFailure(context, deps, async () => {
      const language = await chatLanguage(context, deps);
      const parsed = CONSENT.safeParse(response);
      const kind = parsed.success ? kinds[parsed.data.context.kind] : undefined;
      const upload = parsed.success ? parsed.data.uploadInfo : undefined;
      if (!parsed.success || !kind || !upload) {
        await sendCard(context, notice(language, 'error.staleCard', 'attention'));
        return;
      }
      const built = await kind.build(context, parsed.data.context, language);
      if ('refusal' in built) {
        await sendCard(context, built.refusal);
        return;
      }
      try {
        await uploadToSession(upload.uploadUrl, built.file, { policy: deps.endpointPolicy });
      } catch (error) {
        deps.logger.warn({ err: error, kind: parsed.data.context.kind }, 'file upload failed');
        await sendCard(context, notice(language, kind.failed, 'attention'));
        return;
      }
      await context.sendActivity({
        text: built.text,
        attachments: [
          {
            contentType: FILE_INFO_CARD,
            contentUrl: upload.contentUrl,
            name: upload.name,
            content: { uniqueId: upload.uniqueId, fileType: upload.fileType ?? built.fileType },
          },
        ],
      });
      deps.logger.info(
        { kind: parsed.data.context.kind, bytes: built.file.length },
        'file uploaded',
      );
    }),
  );

  app.fileConsentDecline(async (context, _state, response) =>
    replyWithApologyOnFailure(context, deps, async () => {
      const language = await chatLanguage(context, deps);
      const parsed = CONSENT.safeParse(response);
      const kind = parsed.success ? kinds[parsed.data.context.kind] : undefined;
      await sendCard(context, notice(language, kind?.declined ?? 'error.staleCard'));
    }),
  );
}
