import { type Programme } from '../curriculum/programme';
import { type Language } from '../i18n/languages';
import { translator } from '../i18n/messages';
import { type MemberReportRow } from './unit-service';

/**
 * The lead's per-member export as CSV (RFC 4180), written for the spreadsheet a Belgian office
 * opens it with: UTF-8 with a byte order mark (accents survive Excel), CRLF line ends, `;` between
 * fields in French, Dutch and German (the list separator of those locales; `,` in English), and
 * every field that a spreadsheet would run as a formula (=, +, -, @) quoted with a leading `'`.
 */
export function memberReportCsv(
  rows: MemberReportRow[],
  programme: Programme,
  language: Language,
): string {
  const t = translator(language);
  const header = [t('csv.name'), t('csv.email'), t('csv.objectId'), t('csv.track')];
  for (const phase of programme.phases) {
    const title = phase.title[language];
    header.push(
      t('csv.status', { phase: title }),
      t('csv.lessonsDone', { phase: title }),
      t('csv.lessonsTotal', { phase: title }),
      t('csv.score', { phase: title }),
      t('csv.brevet', { phase: title }),
    );
  }
  const statusLabel = {
    notStarted: t('csv.notStarted'),
    started: t('csv.started'),
    completed: t('csv.completed'),
  };
  const lines = [header];
  for (const row of rows) {
    const line = [
      row.member.name,
      row.member.email ?? '',
      row.member.aadObjectId,
      programme.track(row.trackId)?.title[language] ?? '',
    ];
    for (const phase of row.phases)
      line.push(
        statusLabel[phase.status],
        String(phase.lessonsDone),
        String(phase.lessonsTotal),
        phase.scorePercent === null ? '' : String(phase.scorePercent),
        phase.brevet ? t('csv.yes') : t('csv.no'),
      );
    lines.push(line);
  }
  return csvDocument(lines, language);
}

/** The list separator of a language's spreadsheets: `;` in French, Dutch and German, else `,`. */
export function csvDelimiter(language: Language): string {
  return language === 'en' ? ',' : ';';
}

/**
 * A CSV file of rows (the first is the header) as the lead's export writes it: byte order mark,
 * CRLF line ends, the language's list separator, every field through `csvField`.
 */
export function csvDocument(rows: string[][], language: Language): string {
  const delimiter = csvDelimiter(language);
  return `\uFEFF${rows.map((fields) => fields.map((f) => csvField(f, delimiter)).join(delimiter)).join('\r\n')}\r\n`;
}

/**
 * One field: neutralised if a spreadsheet would read it as a formula, and quoted when it holds
 * either list separator (`,` or `;`), whichever this file uses: a spreadsheet set to the other
 * separator would otherwise split the field and could read what follows as a formula.
 */
export function csvField(value: string, delimiter: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return safe.includes(delimiter) || /[",;\r\n]/.test(safe) || safe !== safe.trim()
    ? `"${safe.replace(/"/g, '""')}"`
    : safe;
}
