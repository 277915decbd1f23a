import { ActivityTypes, type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { type AdaptiveCardJson } from '../../cards/card-templates';
import { PRIVACY_VERBS } from '../../cards/card-verbs';
import { renderEraseConfirmation, renderNotice } from '../../cards/learner-cards';
import { formatDate, type Language } from '../../i18n/languages';
import { translate } from '../../i18n/messages';
import { brusselsDate } from '../../time/zones';
import { type BotDeps } from '../bot-deps';
import { cardActivity } from '../card-replies';
import { chatLanguage, fileConsentCard, type FileKind } from '../file-consent';
import { replyWithApologyOnFailure, withApology } from '../turn-guard';
import { isPersonal, turnOrigin } from '../turn-identity';

/**
 * The learner's own data from the chat (`privacy`): a copy as a JSON file through the file
 * consent flow, and erasure after a confirmation. The person is always the authenticated sender
 * of the click or of the file consent's accept; the cards carry no identity.
 */

/** The `kind` of the personal data file consent card. */
export const PERSONAL_DATA_FILE = 'my-data';

async function personalDataFile(deps: BotDeps, context: TurnContext): Promise<Buffer | undefined> {
  const identity = turnOrigin(context).identity;
  if (!identity) return undefined;
  const document = await deps.personalData.export(identity);
  return Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
}

/** The copy's file, built for whoever accepted the consent card. */
export function personalDataFileKind(deps: BotDeps): FileKind {
  return {
    failed: 'privacy.failed',
    declined: 'privacy.declined',
    async build(context, _consentContext, language) {
      const file = await personalDataFile(deps, context);
      if (!file) return { refusal: notice(language, 'error.staleCard') };
      deps.logger.info('personal data exported');
      return { file, fileType: 'json', text: translate(language, 'privacy.uploaded') };
    },
  };
}

function notice(language: Language, key: Parameters<typeof translate>[1]): AdaptiveCardJson {
  return renderNotice({
    title: translate(language, 'privacy.title'),
    lines: [translate(language, key)],
  });
}

/** One click of the privacy card: the card that replaces it. */
async function handle(
  context: TurnContext,
  deps: BotDeps,
  verb: string,
): Promise<AdaptiveCardJson> {
  const language = await chatLanguage(context, deps);
  const identity = turnOrigin(context).identity;
  if (!isPersonal(context) || !identity) return notice(language, 'privacy.channel');
  switch (verb) {
    case PRIVACY_VERBS.export: {
      const file = (await personalDataFile(deps, context))!;
      const today = brusselsDate(deps.clock());
      await context.sendActivity({
        attachments: [
          fileConsentCard({
            name: `brevet-my-data-${today}.json`,
            description: translate(language, 'privacy.consent', {
              date: formatDate(language, today),
            }),
            sizeInBytes: file.length,
            context: { kind: PERSONAL_DATA_FILE },
          }),
        ],
      });
      return notice(language, 'privacy.exportSent');
    }
    case PRIVACY_VERBS.erase:
      return renderEraseConfirmation(language);
    default: {
      const erased = await deps.personalData.erase(identity);
      deps.logger.info({ erased }, 'personal data erased');
      return notice(language, 'privacy.erased');
    }
  }
}

const isPrivacyVerb = (verb: unknown): verb is string =>
  (Object.values(PRIVACY_VERBS) as unknown[]).includes(verb);

export function registerPersonalData(app: Application<TurnState>, deps: BotDeps): void {
  app.adaptiveCards.actionExecute(
    (context) => Promise.resolve(isPrivacyVerb(context.activity.value?.action?.verb)),
    async (context) =>
      withApology(
        context,
        deps,
        () => handle(context, deps, String(context.activity.value?.action?.verb)),
        async (apology) => apology,
      ),
  );
  // The Action.Submit fallback (clients that render cards 1.2): the answer is a new message.
  app.message(
    (context) =>
      Promise.resolve(
        context.activity.type === ActivityTypes.Message &&
          !context.activity.text?.trim() &&
          isPrivacyVerb((context.activity.value as { verb?: unknown } | undefined)?.verb),
      ),
    async (context) =>
      replyWithApologyOnFailure(context, deps, async () => {
        const verb = (context.activity.value as { verb: string }).verb;
        await context.sendActivity(cardActivity(await handle(context, deps, verb)));
      }),
  );
}
