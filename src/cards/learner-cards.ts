import { type Programme } from '../curriculum/programme';
import { formatDate, type Language } from '../i18n/languages';
import { type MessageKey, translator } from '../i18n/messages';
import { type LearnerProgress, type QuizRefusal } from '../learning/learning-service';
import { type LessonState, type PhaseState } from '../learning/standing';
import { type Phase } from '../curriculum/curriculum-types';
import { type AdaptiveCardJson, expandCard } from './card-templates';
import { PRIVACY_VERBS, VERBS } from './card-verbs';

/** The card that greets a learner on install, in their language. */
export function renderWelcome(language: Language, passingScore: number): AdaptiveCardJson {
  const t = translator(language);
  return expandCard('welcome', {
    title: t('welcome.title'),
    intro: t('welcome.intro'),
    how: t('welcome.how'),
    brevet: t('welcome.brevet', { passingScore }),
    rule: t('welcome.rule'),
    start: t('welcome.start'),
    hint: t('welcome.commandsHint'),
  });
}

export interface NoticeOptions {
  title: string;
  lines: string[];
  tone?: 'default' | 'attention' | 'good';
  action?: { title: string; verb: string };
}

/** A title and a few lines, with an optional button (many short answers use it). */
export function renderNotice(options: NoticeOptions): AdaptiveCardJson {
  const colors = { default: 'Default', attention: 'Attention', good: 'Good' } as const;
  return expandCard('notice', {
    title: options.title,
    titleColor: colors[options.tone ?? 'default'],
    lines: options.lines,
    action: options.action ?? null,
  });
}

/** The list of commands; with `notUnderstood`, the answer to anything unrecognised. */
export function renderHelp(
  language: Language,
  options: { notUnderstood?: boolean } = {},
): AdaptiveCardJson {
  const t = translator(language);
  const lines = [
    ...(options.notUnderstood ? [t('help.notUnderstood')] : []),
    t('help.next'),
    t('help.progress'),
    t('help.lessons'),
    t('help.review'),
    t('help.remind'),
    t('help.glossary'),
    t('help.language'),
    t('help.privacy'),
    t('help.help'),
  ];
  return renderNotice({ title: t('help.title'), lines });
}

export function renderLanguageChanged(language: Language): AdaptiveCardJson {
  const t = translator(language);
  return renderNotice({
    title: t('help.title'),
    lines: [t('language.changed'), t('help.help')],
    tone: 'good',
  });
}

export function renderLanguageUnknown(language: Language): AdaptiveCardJson {
  const t = translator(language);
  return renderNotice({ title: t('help.title'), lines: [t('language.unknown')] });
}

export function renderPhaseNotOpen(language: Language, phase: Phase): AdaptiveCardJson {
  const t = translator(language);
  return renderNotice({
    title: t('phase.notOpenTitle'),
    lines: [
      t('phase.notOpen', {
        phase: phase.title[language],
        date: formatDate(language, phase.opensAt),
      }),
    ],
  });
}

export function renderAllDone(language: Language): AdaptiveCardJson {
  const t = translator(language);
  return renderNotice({ title: t('allDone.title'), lines: [t('allDone.text')], tone: 'good' });
}

const REFUSAL_KEYS: Record<QuizRefusal | 'staleCard', MessageKey> = {
  unknownLesson: 'error.unknownLesson',
  notReached: 'error.notReached',
  unknownQuestion: 'error.unknownQuestion',
  unknownChoice: 'error.unknownChoice',
  staleCard: 'error.staleCard',
};

/** A clear answer to card data that cannot be honoured; nothing was stored. */
export function renderRefusal(
  language: Language,
  reason: QuizRefusal | 'staleCard',
): AdaptiveCardJson {
  const t = translator(language);
  return renderNotice({
    title: t('error.title'),
    lines: [t(REFUSAL_KEYS[reason])],
    tone: 'attention',
    action: { title: t('error.continue'), verb: VERBS.nextLesson },
  });
}

/** The apology for a failure on our side (database down, bug): progress is safe. */
export function renderApology(language: Language): AdaptiveCardJson {
  const t = translator(language);
  return renderNotice({ title: t('error.title'), lines: [t('error.apology')], tone: 'attention' });
}

export function renderTenantRefusal(language: Language): AdaptiveCardJson {
  const t = translator(language);
  return renderNotice({ title: t('error.title'), lines: [t('tenant.refused')] });
}

export function renderTrackChoice(
  language: Language,
  programme: Programme,
  phase: Phase,
): AdaptiveCardJson {
  const t = translator(language);
  return expandCard('track-choice', {
    title: t('track.title'),
    intro: t('track.intro', { phase: phase.title[language] }),
    tracks: programme.curriculum.tracks.map((track) => ({
      id: track.id,
      title: track.title[language],
      description: track.description[language],
    })),
  });
}

export function renderTrackAlreadyChosen(language: Language, trackTitle: string): AdaptiveCardJson {
  const t = translator(language);
  return renderNotice({
    title: t('track.title'),
    lines: [t('track.already', { track: trackTitle })],
    action: { title: t('progress.continue'), verb: VERBS.nextLesson },
  });
}

export function renderBrevet(language: Language, phase: Phase, score: number): AdaptiveCardJson {
  const t = translator(language);
  const phaseTitle = phase.title[language];
  return expandCard('brevet', {
    title: t('brevet.title', { phase: phaseTitle }),
    text: t('brevet.text', { phase: phaseTitle, score }),
  });
}

const PHASE_STATE: Record<PhaseState, { key: MessageKey; color: string }> = {
  complete: { key: 'progress.complete', color: 'Good' },
  open: { key: 'progress.open', color: 'Accent' },
  notOpen: { key: 'progress.notOpen', color: 'Default' },
};

/** A ten-cell text bar ("■■■□□□□□□□"): renders everywhere, Teams mobile included. */
function textBar(done: number, total: number): string {
  const cells = 10;
  const filled = total === 0 ? 0 : Math.round((done / total) * cells);
  return `${'■'.repeat(filled)}${'□'.repeat(cells - filled)}`;
}

/** Per phase: state, a bar, lessons done out of total, quiz score, track, brevet. */
export function renderProgress(
  language: Language,
  programme: Programme,
  progress: LearnerProgress,
  reviewDue = 0,
  streak = 0,
): AdaptiveCardJson {
  const t = translator(language);
  return expandCard('progress', {
    title: t('progress.title'),
    streak: streak > 0 ? t('progress.streak', { days: streak }) : '',
    continueLabel: t('progress.continue'),
    review:
      reviewDue > 0
        ? { text: t('progress.reviewDue', { count: reviewDue }), label: t('progress.review') }
        : null,
    phases: progress.phases.map((p) => {
      const facts = [
        {
          label: '📘',
          value: t('progress.lessons', { done: p.lessonsDone, total: p.lessonsTotal }),
        },
        {
          label: '✅',
          value: p.score === null ? t('progress.noScore') : t('progress.score', { score: p.score }),
        },
      ];
      if (p.phase.chooseTrack) {
        const track = programme.track(p.trackId);
        facts.push({
          label: '🧭',
          value: track
            ? t('progress.track', { track: track.title[language] })
            : t('progress.noTrack'),
        });
      }
      if (p.state === 'notOpen')
        facts.push({
          label: '📅',
          value: t('progress.opensOn', { date: formatDate(language, p.phase.opensAt) }),
        });
      if (p.brevet)
        facts.push({
          label: '🎖️',
          value: t('progress.brevet', { date: formatDate(language, new Date(p.brevet.earnedAt)) }),
        });
      return {
        title: p.phase.title[language],
        state: t(PHASE_STATE[p.state].key),
        stateColor: PHASE_STATE[p.state].color,
        bar: `${textBar(p.lessonsDone, p.lessonsTotal)} ${p.lessonsDone}/${p.lessonsTotal}`,
        facts,
      };
    }),
  });
}

const LESSON_STATE_COLOR: Record<LessonState, string> = {
  done: 'Good',
  inProgress: 'Accent',
  todo: 'Default',
  locked: 'Default',
};

/** Every lesson the learner takes, with its id (to type) and status. */
export function renderLessons(language: Language, progress: LearnerProgress): AdaptiveCardJson {
  const t = translator(language);
  return expandCard('lessons', {
    title: t('lessons.title'),
    continueLabel: t('progress.continue'),
    phases: progress.phases.map((p) => ({
      title: `${p.phase.title[language]}`,
      note: p.trackPending
        ? t('lessons.otherTrack')
        : p.lessons.length === 0
          ? t('lessons.empty')
          : '',
      lessons: p.lessons.map((status) => ({
        id: status.lesson.id,
        title: status.lesson.text[language].title,
        status:
          status.state === 'done'
            ? t('lessons.done', { score: status.score ?? 0 })
            : status.state === 'inProgress'
              ? t('lessons.inProgress')
              : status.state === 'locked'
                ? t('lessons.locked', { date: formatDate(language, p.phase.opensAt) })
                : t('lessons.todo'),
        statusColor: LESSON_STATE_COLOR[status.state],
      })),
    })),
  });
}

/** The glossary of key terms (`glossary` command), or a short notice if the content has none. */
export function renderGlossary(language: Language, programme: Programme): AdaptiveCardJson {
  const glossary = programme.curriculum.glossary?.[language];
  if (!glossary) {
    const t = translator(language);
    return renderNotice({ title: t('help.title'), lines: [t('glossary.empty'), t('help.help')] });
  }
  return expandCard('glossary', { title: glossary.title, terms: glossary.terms });
}

/** The daily nudge: what is waiting, and a one-click start. */
export function renderReminder(
  language: Language,
  waiting: { lessonWaiting: boolean; reviewDue: number },
): AdaptiveCardJson {
  const t = translator(language);
  return renderNotice({
    title: t('reminder.title'),
    lines: [
      ...(waiting.lessonWaiting ? [t('reminder.lesson')] : []),
      ...(waiting.reviewDue > 0 ? [t('reminder.reviews', { count: waiting.reviewDue })] : []),
      t('reminder.note'),
    ],
    action: {
      title: t('reminder.start'),
      verb: waiting.lessonWaiting ? VERBS.nextLesson : VERBS.startReview,
    },
  });
}

/** The answer to `remind …`: the setting now in force, or how to write the time. */
export function renderRemindSetting(
  language: Language,
  setting: { enabled: boolean; remindAt: string; timeZone: string } | 'invalid',
  changed: boolean,
): AdaptiveCardJson {
  const t = translator(language);
  if (setting === 'invalid')
    return renderNotice({ title: t('help.title'), lines: [t('remind.invalid')] });
  const zone = setting.timeZone;
  const line = !changed
    ? t('remind.show', {
        state: t(setting.enabled ? 'remind.stateOn' : 'remind.stateOff'),
        time: setting.remindAt,
        zone,
      })
    : setting.enabled
      ? t('remind.set', { time: setting.remindAt, zone })
      : t('remind.off');
  return renderNotice({ title: t('help.title'), lines: [line], tone: 'good' });
}

/** A title, a few lines and a row of buttons (verbs answered by Action.Execute). */
function renderChoices(options: {
  title: string;
  lines: string[];
  tone?: 'default' | 'attention';
  buttons: { title: string; verb: string; style?: 'default' | 'positive' | 'destructive' }[];
}): AdaptiveCardJson {
  return expandCard('choices', {
    title: options.title,
    titleColor: options.tone === 'attention' ? 'Attention' : 'Default',
    lines: options.lines,
    buttons: options.buttons.map((b) => ({ ...b, style: b.style ?? 'default' })),
  });
}

/** `privacy`: what Brevet keeps about the learner, with a copy and erasure. */
export function renderPrivacy(language: Language): AdaptiveCardJson {
  const t = translator(language);
  return renderChoices({
    title: t('privacy.title'),
    lines: [t('privacy.what'), t('privacy.leads')],
    buttons: [
      { title: t('privacy.exportButton'), verb: PRIVACY_VERBS.export },
      { title: t('privacy.eraseButton'), verb: PRIVACY_VERBS.erase, style: 'destructive' },
    ],
  });
}

/** The second step of erasure: nothing is deleted before this button. */
export function renderEraseConfirmation(language: Language): AdaptiveCardJson {
  const t = translator(language);
  return renderChoices({
    title: t('privacy.confirmTitle'),
    tone: 'attention',
    lines: [t('privacy.confirm')],
    buttons: [
      {
        title: t('privacy.confirmButton'),
        verb: PRIVACY_VERBS.eraseConfirmed,
        style: 'destructive',
      },
    ],
  });
}
