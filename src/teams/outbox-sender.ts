import { type Attachment, CardFactory, MessageFactory } from 'botbuilder';
import { type AdaptiveCardJson } from '../cards/card-templates';
import { renderReminder } from '../cards/learner-cards';
import { renderLessonPage } from '../cards/lesson-cards';
import { renderAssignmentSummary } from '../cards/unit-cards';
import { type Programme } from '../curriculum/programme';
import { type MessageSender, type OutboxPayload } from '../delivery/outbox-types';
import { isLanguage, type Language } from '../i18n/languages';
import { lessonPlace } from '../learning/standing';
import { type UnitService } from '../units/unit-service';
import { type BotConnectorClient } from './bot-connector-client';
import { reportConsentCard } from './features/report-export';

/** The attachment of an outbox message, rendered when it is sent (the row keeps only ids). */
async function attachmentFor(
  payload: OutboxPayload,
  programme: Programme,
  units: UnitService,
): Promise<Attachment | undefined> {
  if (payload.type === 'report-export') {
    const language: Language = isLanguage(payload.language) ? payload.language : 'en';
    return reportConsentCard(language, payload);
  }
  const card = await cardFor(payload, programme, units);
  return card && CardFactory.adaptiveCard(card);
}

/** The Adaptive Card of an outbox message. */
async function cardFor(
  payload: Exclude<OutboxPayload, { type: 'report-export' }>,
  programme: Programme,
  units: UnitService,
): Promise<AdaptiveCardJson | undefined> {
  const language: Language = isLanguage(payload.language) ? payload.language : 'en';
  if (payload.type === 'reminder') return renderReminder(language, payload);
  if (payload.type === 'card') return payload.card as AdaptiveCardJson;
  if (payload.type === 'assignment-summary') {
    const assignment = await units.assignment(payload.assignmentId);
    return assignment
      ? renderAssignmentSummary(language, programme, assignment, payload.names === true)
      : undefined;
  }
  const lesson = programme.lesson(payload.lessonId);
  if (!lesson) return undefined;
  // No learner yet: the lesson's place in its own track's sequence (the common one for most).
  return renderLessonPage(language, lessonPlace(programme, lesson, lesson.trackId ?? null), 0);
}

/** Sends outbox messages through the Bot Connector: 1:1 (creating the chat when needed) or channel. */
export function createOutboxSender(deps: {
  client: BotConnectorClient;
  programme: Programme;
  units: UnitService;
}): MessageSender {
  return {
    async send(message, { createConversation, acquire }) {
      const attachment = await attachmentFor(message.payload, deps.programme, deps.units);
      if (!attachment)
        return {
          kind: 'failed',
          reason: 'nothing to send: the lesson or assignment no longer exists',
        };
      let conversationId = message.conversationId;
      let createdConversationId: string | undefined;
      if (createConversation || !conversationId) {
        if (!message.recipientId)
          return { kind: 'failed', reason: 'no recipient to start a chat with' };
        // Creating the chat is a request too: it takes its own slot of the rate limit.
        await acquire();
        const created = await deps.client.createPersonalConversation(
          message.serviceUrl,
          message.tenantId,
          message.recipientId,
        );
        if ('outcome' in created) return created.outcome;
        conversationId = created.conversationId;
        createdConversationId = conversationId;
      }
      await acquire();
      const outcome = await deps.client.sendToConversation(
        message.serviceUrl,
        conversationId,
        MessageFactory.attachment(attachment),
      );
      return createdConversationId ? { ...outcome, createdConversationId } : outcome;
    },
  };
}
