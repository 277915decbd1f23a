import { type TurnContext } from 'botbuilder';
import { type Application, type TurnState } from '@microsoft/teams-ai';
import { type AdaptiveCardJson } from '../../cards/card-templates';
import { PRIVACY_VERBS, type PrivacyVerb } from '../../cards/card-verbs';
import { renderEraseConfirmation, renderNotice, renderRefusal } from '../../cards/learner-cards';
import { formatDate, type Language } from '../../i18n/languages';
import { translate } from '../../i18n/messages';
import { brusselsDate } from '../../time/zones';
import { type BotDeps } from '../bot-deps';
import { registerCardVerbs } from '../card-verb-routes';
import { chatLanguage, fileConsentCard, type FileKind } from '../file-consent';
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

/**
 * One click of the privacy card: the card that replaces it. Each verb has its own case: erasure
 * happens only for the confirmation's own verb, never for an action this switch does not know.
 */
export async function answerPrivacyClick(
  context: TurnContext,
  deps: BotDeps,
  verb: PrivacyVerb,
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
    case PRIVACY_VERBS.eraseConfirmed: {
      const erased = await deps.personalData.erase(identity);
      deps.logger.info({ erased }, 'personal data erased');
      return notice(language, 'privacy.erased');
    }
    default: {
      // A privacy verb without its own case does not compile. At run time (a verb cast in),
      // nothing is erased: the stale-card refusal.
      const unknown: never = verb;
      deps.logger.warn({ verb: String(unknown).slice(0, 64) }, 'unknown privacy action');
      return renderRefusal(language, 'staleCard');
    }
  }
}

/** The privacy card's buttons; a Submit click (cards 1.2) is answered with a new message. */
export function registerPersonalData(app: Application<TurnState>, deps: BotDeps): void {
  registerCardVerbs(app, deps, {
    verbs: Object.values(PRIVACY_VERBS),
    answer: async (context, { verb }) => ({
      card: await answerPrivacyClick(context, deps, verb),
    }),
  });
}
