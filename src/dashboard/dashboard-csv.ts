import { type Programme } from '../curriculum/programme';
import { type Language } from '../i18n/languages';
import { translator } from '../i18n/messages';
import { csvDelimiter, csvDocument } from '../units/report-csv';
import {
  type ActivityDocument,
  type CompletionDocument,
  type FunnelDocument,
  type FunnelLesson,
  type QuestionsDocument,
  type SummaryDocument,
  type UnitDocument,
  type UnitsDocument,
} from './programme-documents';

/**
 * The dashboard's tables as CSV files, written like the lead's per-member export
 * (units/report-csv.ts: byte order mark, CRLF, `;` in French, Dutch and German, `,` in English,
 * formula-looking fields neutralised): decimals take the language's decimal separator.
 */
function number(value: number | null, language: Language): string {
  if (value === null) return '';
  const text = String(value);
  return csvDelimiter(language) === ';' ? text.replace('.', ',') : text;
}

export function summaryCsv(doc: SummaryDocument, language: Language): string {
  const t = translator(language);
  const rows = [
    [t('dashboard.csv.figure'), t('dashboard.csv.value')],
    [t('dashboard.csv.population'), number(doc.population, language)],
    [t('dashboard.csv.learners'), number(doc.learners, language)],
    [t('dashboard.csv.active7'), number(doc.active7, language)],
    [t('dashboard.csv.active30'), number(doc.active30, language)],
    [t('dashboard.csv.lessonsCompleted'), number(doc.lessonsCompleted, language)],
    ...doc.phases.map((p) => [
      t('dashboard.csv.brevetsOf', { phase: p.title }),
      number(p.brevets, language),
    ]),
  ];
  return csvDocument(rows, language);
}

export function activityCsv(doc: ActivityDocument, language: Language): string {
  const t = translator(language);
  const rows = [
    [
      t('dashboard.csv.week'),
      t('dashboard.csv.activeLearners'),
      ...doc.phases.map((p) => t('dashboard.csv.brevetsOf', { phase: p.title })),
    ],
    ...doc.weeks.map((w) => [
      w.week,
      number(w.activeLearners, language),
      ...doc.phases.map((p) => number(w.brevets[p.phaseId] ?? 0, language)),
    ]),
  ];
  return csvDocument(rows, language);
}

export function completionCsv(doc: CompletionDocument, language: Language): string {
  const t = translator(language);
  const rows = [
    [
      t('dashboard.csv.phase'),
      t('dashboard.csv.split'),
      t('dashboard.csv.group'),
      t('dashboard.csv.learnersInGroup'),
      t('dashboard.csv.started'),
      t('dashboard.csv.completed'),
      t('dashboard.csv.brevets'),
    ],
  ];
  for (const phase of doc.phases)
    for (const [split, groups] of [
      [t('dashboard.csv.byTrack'), phase.byTrack],
      [t('dashboard.csv.byLanguage'), phase.byLanguage],
    ] as const)
      for (const g of groups)
        rows.push([
          phase.title,
          split,
          g.key === null ? t('dashboard.csv.noTrack') : g.title,
          number(g.learners, language),
          number(g.started, language),
          number(g.completed, language),
          number(g.brevets, language),
        ]);
  return csvDocument(rows, language);
}

function lessonRows(lessons: FunnelLesson[], programme: Programme, language: Language): string[][] {
  const t = translator(language);
  return [
    [
      t('dashboard.csv.lessonId'),
      t('dashboard.csv.lesson'),
      t('dashboard.csv.phase'),
      t('dashboard.csv.track'),
      t('dashboard.csv.opened'),
      t('dashboard.csv.finished'),
      t('dashboard.csv.passed'),
    ],
    ...lessons.map((l) => [
      l.lessonId,
      l.title,
      programme.phase(l.phaseId)?.title[language] ?? l.phaseId,
      l.trackId ? (programme.track(l.trackId)?.title[language] ?? l.trackId) : '',
      number(l.opened, language),
      number(l.finished, language),
      number(l.passed, language),
    ]),
  ];
}

export function funnelCsv(doc: FunnelDocument, programme: Programme, language: Language): string {
  return csvDocument(lessonRows(doc.lessons, programme, language), language);
}

export function unitsCsv(doc: UnitsDocument, language: Language): string {
  const t = translator(language);
  const header = [t('dashboard.csv.unit'), t('dashboard.csv.members'), t('dashboard.csv.users')];
  for (const phase of doc.phases)
    header.push(
      t('dashboard.csv.startedIn', { phase: phase.title }),
      t('dashboard.csv.completedIn', { phase: phase.title }),
      t('dashboard.csv.averageScoreIn', { phase: phase.title }),
      t('dashboard.csv.brevetsOf', { phase: phase.title }),
    );
  header.push(
    t('dashboard.csv.averageScore'),
    t('dashboard.csv.brevets'),
    t('dashboard.csv.lastAssignment'),
  );
  const rows = [header];
  for (const unit of doc.units) {
    const row = [unit.name, number(unit.members, language), number(unit.learners, language)];
    for (const phase of unit.phases)
      row.push(
        number(phase.started, language),
        number(phase.completed, language),
        number(phase.averageScore, language),
        number(phase.brevets, language),
      );
    row.push(
      number(unit.averageScore, language),
      number(unit.brevets, language),
      unit.lastAssignment?.slice(0, 10) ?? '',
    );
    rows.push(row);
  }
  return csvDocument(rows, language);
}

/** One unit's drill-down table: its members' funnel, lesson by lesson. */
export function unitCsv(doc: UnitDocument, programme: Programme, language: Language): string {
  return csvDocument(lessonRows(doc.lessons, programme, language), language);
}

export function questionsCsv(doc: QuestionsDocument, language: Language): string {
  const t = translator(language);
  const languages = doc.questions[0]?.languages.map((l) => l.language) ?? [];
  const rows = [
    [
      t('dashboard.csv.lessonId'),
      t('dashboard.csv.lesson'),
      t('dashboard.csv.questionId'),
      t('dashboard.csv.question'),
      t('dashboard.csv.answered'),
      t('dashboard.csv.rightShare'),
      ...languages.flatMap((code) => [
        t('dashboard.csv.answeredIn', { language: code }),
        t('dashboard.csv.rightShareIn', { language: code }),
      ]),
      t('dashboard.csv.languageGap'),
      t('dashboard.csv.flagged'),
    ],
    ...doc.questions.map((q) => [
      q.lessonId,
      q.lessonTitle,
      q.questionId,
      q.question,
      number(q.answered, language),
      number(q.rightShare, language),
      ...q.languages.flatMap((l) => [number(l.answered, language), number(l.rightShare, language)]),
      number(q.languageGap, language),
      q.flagged ? t('csv.yes') : t('csv.no'),
    ]),
  ];
  return csvDocument(rows, language);
}
