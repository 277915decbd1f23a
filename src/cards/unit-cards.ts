import { type Programme } from '../curriculum/programme';
import { formatDate, type Language } from '../i18n/languages';
import { type MessageKey, translator } from '../i18n/messages';
import { type Leaderboard, type UnitReport } from '../units/unit-service';
import { type AssignmentStatus, type Schedule } from '../units/unit-store';
import { type AdaptiveCardJson, expandCard } from './card-templates';
import { LEAD_MENU_COMMANDS, type LeadMenuCommand } from './card-verbs';
import { isPhaseOpen } from '../curriculum/programme';
import { renderNotice } from './learner-cards';

function lessonName(programme: Programme, language: Language, lessonId: string): string {
  const lesson = programme.lesson(lessonId);
  return lesson ? `${lessonId} “${lesson.text[language].title}”` : lessonId;
}

/** A short answer to a lead command (confirmation, refusal, usage). */
export function renderLeadNotice(
  language: Language,
  key: MessageKey,
  params: Record<string, string | number> = {},
  tone: 'default' | 'attention' | 'good' = 'default',
): AdaptiveCardJson {
  const t = translator(language);
  return renderNotice({ title: 'Brevet', lines: [t(key, params)], tone });
}

/**
 * Sent assignments: counts by state and who was not reached (with the reason). `names: false`
 * for a card the whole channel sees: counts only, and a line saying the names went to the lead's
 * 1:1 chat (a member who blocked the bot is nobody else's business).
 */
export function renderDeliveries(
  language: Language,
  programme: Programme,
  assignments: AssignmentStatus[],
  options: { title?: string; names: boolean },
): AdaptiveCardJson {
  const t = translator(language);
  const title = options.title;
  return expandCard('deliveries', {
    title: title ?? t('deliveries.title'),
    empty: assignments.length === 0 ? t('deliveries.none') : '',
    assignments: assignments.map((a) => ({
      heading: t('deliveries.assignment', {
        lesson: lessonName(programme, language, a.lessonId),
        date: formatDate(language, new Date(a.createdAt)),
        state: t(a.finishedAt ? 'deliveries.finished' : 'deliveries.running'),
      }),
      counts: t('deliveries.counts', { ...a.counts, total: a.total }),
      notReached: options.names
        ? a.notReached.map((n) =>
            t('deliveries.notReached', {
              name: n.name,
              status: t(n.status === 'blocked' ? 'deliveries.blocked' : 'deliveries.failed'),
              reason: n.reason,
            }),
          )
        : a.notReached.length > 0
          ? [t('deliveries.namesInChat')]
          : [],
    })),
  });
}

/**
 * The card sent when an assignment has nothing left to send: in the channel with counts only,
 * to the lead who asked with the names of the members not reached.
 */
export function renderAssignmentSummary(
  language: Language,
  programme: Programme,
  assignment: AssignmentStatus,
  names: boolean,
): AdaptiveCardJson {
  const t = translator(language);
  return renderDeliveries(language, programme, [assignment], {
    names,
    title: t('deliveries.summaryTitle', {
      lesson: lessonName(programme, language, assignment.lessonId),
    }),
  });
}

export function renderSchedules(
  language: Language,
  programme: Programme,
  schedules: Schedule[],
): AdaptiveCardJson {
  const t = translator(language);
  return expandCard('schedules', {
    title: t('lead.schedulesTitle'),
    empty: t('lead.noSchedules'),
    schedules: schedules.map((s) => ({
      id: s.id,
      line: t('lead.scheduleLine', {
        id: s.id,
        action: t(s.action === 'push' ? 'lead.actionPush' : 'lead.actionAssign'),
        lesson: lessonName(programme, language, s.lessonId),
        time: s.localTime,
      }),
      cancelLabel: t('lead.cancelButton'),
    })),
  });
}

/** What can be done in a team's channel, with a button for each lead command. */
export function renderLeadMenu(language: Language): AdaptiveCardJson {
  const t = translator(language);
  const label: Record<LeadMenuCommand, MessageKey> = {
    picker: 'lead.menuPicker',
    scheduled: 'lead.schedulesTitle',
    report: 'report.title',
    deliveries: 'deliveries.title',
    leaderboard: 'leaderboard.title',
  };
  return expandCard('lead-menu', {
    title: t('help.title'),
    lines: [t('help.channel'), t('lead.usage')],
    buttons: LEAD_MENU_COMMANDS.map((command) => ({ command, title: t(label[command]) })),
  });
}

/** The unit's progress per phase and per lesson, question by question. */
export function renderReport(
  language: Language,
  programme: Programme,
  report: UnitReport,
): AdaptiveCardJson {
  const t = translator(language);
  return expandCard('report', {
    title: t('report.title'),
    members: t('report.members', { members: report.members }),
    lessonsTitle: t('report.lessonsTitle'),
    exportLabel: t('report.exportButton'),
    phases: report.phases.map((p) => ({
      title: programme.phase(p.phaseId)?.title[language] ?? p.phaseId,
      line: t('report.phase', {
        started: p.started,
        completed: p.completed,
        score: p.averageScore === null ? t('report.noScore') : `${p.averageScore}%`,
        brevets: p.brevets,
      }),
    })),
    lessons: report.lessons.map((l) => ({
      heading: t('report.lesson', {
        lesson: lessonName(programme, language, l.lessonId),
        answered: l.answered,
      }),
      questions: l.questions.map((q) =>
        t('report.question', {
          question: q.questionId,
          share: q.sharePercent,
          answered: q.answered,
        }),
      ),
    })),
  });
}

/** The team-level leaderboard (shown only where an admin turned it on). */
export function renderLeaderboard(
  language: Language,
  teamName: string | null,
  board: Leaderboard,
): AdaptiveCardJson {
  const t = translator(language);
  if (board.entries.length === 0)
    return renderNotice({
      title: t('leaderboard.title'),
      lines: [t('leaderboard.empty')],
    });
  return expandCard('leaderboard', {
    title: t('leaderboard.title'),
    subtitle: teamName ?? '',
    nameHeader: t('leaderboard.name'),
    lessonsHeader: t('leaderboard.lessons'),
    brevetsHeader: t('leaderboard.brevets'),
    entries: board.entries.map((entry) => ({
      rank: String(entry.rank),
      name: entry.name,
      lessons: String(entry.lessons),
      brevets: String(entry.brevets),
    })),
    note: t('leaderboard.note', { participants: board.participants, members: board.members }),
  });
}

/** The lead's picker: a lesson (of the open phases), then push, assign, or schedule either. */
export function renderLeadPicker(
  language: Language,
  programme: Programme,
  now: Date,
  today: string,
  timeZone: string,
): AdaptiveCardJson {
  const t = translator(language);
  const lessons = programme.curriculum.lessons
    .filter((lesson) => isPhaseOpen(programme.phase(lesson.phaseId)!, now))
    .map((lesson) => ({ id: lesson.id, title: `${lesson.id} · ${lesson.text[language].title}` }));
  return expandCard('lead-picker', {
    title: t('lead.pickerTitle'),
    lessonLabel: t('lead.pickLesson'),
    lessons,
    firstLesson: lessons[0]?.id ?? '',
    pushLabel: t('lead.pushButton'),
    assignLabel: t('lead.assignButton'),
    scheduleLabel: t('lead.scheduleAt', { zone: timeZone }),
    today,
    schedulePushLabel: t('lead.schedulePush'),
    scheduleAssignLabel: t('lead.scheduleAssign'),
  });
}
