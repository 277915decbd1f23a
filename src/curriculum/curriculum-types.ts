import { type Language } from '../i18n/languages';

/** Text in each of the four languages. */
export type Localised<T = string> = Record<Language, T>;

export interface Track {
  id: string;
  title: Localised;
  description: Localised;
}

export interface Phase {
  id: string;
  /** Position in the programme, 1-based. */
  number: number;
  /** Opening date, YYYY-MM-DD, at 00:00 Europe/Brussels. */
  opensAt: string;
  chooseTrack: boolean;
  title: Localised;
}

export type QuestionKind = 'single' | 'truefalse';

export interface QuestionText {
  question: string;
  /** Choice id → label; for true/false questions the labels come from the UI strings. */
  choices: Record<string, string>;
  explanation: string;
}

export interface Question {
  id: string;
  kind: QuestionKind;
  /** Choice ids in display order (`true`, `false` for true/false questions). */
  choices: string[];
  answer: string;
  text: Localised<QuestionText>;
}

export interface LessonText {
  title: string;
  objective: string;
  /** 1 to 3 pages of markdown paragraphs. */
  pages: string[];
}

export interface Source {
  title: string;
  url: string;
}

export interface Lesson {
  id: string;
  phaseId: string;
  /** Undefined for a lesson everyone in the phase takes. */
  trackId?: string;
  order: number;
  minutes: number;
  reviewed: string;
  sources: Source[];
  questions: Question[];
  text: Localised<LessonText>;
}

export interface GlossaryTerm {
  id: string;
  term: string;
  definition: string;
}

/** The whole programme, as loaded from `content/`. */
export interface Curriculum {
  passingScore: number;
  phases: Phase[];
  tracks: Track[];
  /** Every lesson, in programme order (phase, then common before track lessons, then order). */
  lessons: Lesson[];
  glossary?: Localised<{ title: string; terms: GlossaryTerm[] }>;
}
