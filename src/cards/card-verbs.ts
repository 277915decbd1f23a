/**
 * Action.Execute verbs, shared by the templates in adaptive-cards/ and the handlers that answer
 * them (a test checks every verb in a template is one of these).
 */
export const VERBS = {
  nextLesson: 'lesson.next',
  lessonPage: 'lesson.page',
  startQuiz: 'quiz.start',
  answer: 'quiz.answer',
  chooseTrack: 'track.choose',
  review: 'review.answer',
  startReview: 'review.start',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** Verbs of the learner's own data (a copy, erasure), answered by the personal data feature. */
export const PRIVACY_VERBS = {
  export: 'privacy.export',
  erase: 'privacy.erase',
  eraseConfirmed: 'privacy.eraseConfirmed',
} as const;

export type PrivacyVerb = (typeof PRIVACY_VERBS)[keyof typeof PRIVACY_VERBS];

/** Verbs of the unit lead's picker card (answered by the lead commands, with role checks). */
export const LEAD_VERBS = {
  push: 'lead.push',
  assign: 'lead.assign',
  schedule: 'lead.schedule',
  exportReport: 'lead.exportReport',
  cancel: 'lead.cancel',
  menu: 'lead.menu',
} as const;

export type LeadVerb = (typeof LEAD_VERBS)[keyof typeof LEAD_VERBS];

/** What the lead menu's buttons ask for (the data of a `lead.menu` click). */
export const LEAD_MENU_COMMANDS = [
  'picker',
  'scheduled',
  'report',
  'deliveries',
  'leaderboard',
] as const;
export type LeadMenuCommand = (typeof LEAD_MENU_COMMANDS)[number];
