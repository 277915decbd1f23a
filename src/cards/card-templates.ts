import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectPath } from '../project-paths';

/** An Adaptive Card as sent to Teams. */
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  version: string;
  [key: string]: unknown;
}

export const CARD_TEMPLATES = [
  'welcome',
  'lesson-page',
  'quiz',
  'notice',
  'track-choice',
  'brevet',
  'progress',
  'lessons',
  'glossary',
  'deliveries',
  'report',
  'review',
  'lead-picker',
  'leaderboard',
  'lead-menu',
  'schedules',
  'choices',
] as const;
export type CardTemplateName = (typeof CARD_TEMPLATES)[number];

function readTemplate(name: CardTemplateName): unknown {
  return JSON.parse(readFileSync(path.join(projectPath('adaptive-cards'), `${name}.json`), 'utf8'));
}

const cache = new Map<CardTemplateName, ACData.Template>();

/** Expands a template of adaptive-cards/ with data (adaptivecards-templating). */
export function expandCard(name: CardTemplateName, data: object): AdaptiveCardJson {
  let template = cache.get(name);
  if (!template) {
    template = new ACData.Template(readTemplate(name));
    cache.set(name, template);
  }
  const card = template.expand({ $root: data }) as AdaptiveCardJson & { $schema?: string };
  delete card.$schema;
  return card;
}
