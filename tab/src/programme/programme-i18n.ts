/**
 * Every string of the programme dashboard page, in the programme's four languages (the
 * `ProgrammeMessages` interface makes a missing one a compile error; tests/tab/i18n.test.ts
 * checks that none is empty or left in English). Pure TypeScript: no DOM, no React.
 */
import { type Language } from '../progress';

export interface ProgrammeMessages {
  title: string;
  asOf: (date: string) => string;
  loading: string;
  notForYouTitle: string;
  notForYouBody: string;

  headlineHeading: string;
  learners: string;
  ofPopulation: (share: string, population: string) => string;
  noPopulation: string;
  active7: string;
  active30: string;
  ofLearners: (share: string) => string;
  lessonsCompleted: string;
  brevetsOf: (phase: string) => string;

  activityHeading: string;
  activeLearners: string;
  brevetsPerWeekHeading: string;
  weekOf: (date: string) => string;

  completionHeading: string;
  byTrack: string;
  byLanguage: string;
  completedShare: string;
  noTrack: string;
  languageNames: Record<Language, string>;

  funnelHeading: string;
  opened: string;
  finished: string;
  passed: (score: number) => string;

  unitsHeading: string;
  unitsEmpty: string;
  unit: string;
  members: string;
  usingBrevet: string;
  startedIn: (phase: number) => string;
  completedIn: (phase: number) => string;
  averageScore: string;
  brevets: string;
  lastAssignment: string;
  never: string;
  openUnit: (name: string) => string;
  backToUnits: string;
  unitPhasesHeading: string;
  unitLessonsHeading: string;
  phase: (number: number, title: string) => string;
  started: string;
  completed: string;

  questionsHeading: string;
  questionsHint: (answers: number, points: number) => string;
  questionsEmpty: string;
  question: string;
  answers: string;
  rightFirst: string;
  checkTranslation: string;

  exportCsv: string;
  exportFailed: string;
  percent: (value: number) => string;
  noValue: string;
}

const en: ProgrammeMessages = {
  title: 'Programme dashboard',
  asOf: (date) => `Figures of ${date}, for your organisation.`,
  loading: 'Loading the programme’s figures…',
  notForYouTitle: 'This page is for the training office',
  notForYouBody:
    'The programme dashboard shows the figures of every unit; only the training office’s admins can open it. Your own progress is in the “My brevet” tab.',

  headlineHeading: 'Headline figures',
  learners: 'Learners enrolled',
  ofPopulation: (share, population) => `${share} of the ${population} people expected`,
  noPopulation: 'The number of people expected is not set.',
  active7: 'Active in the last 7 days',
  active30: 'Active in the last 30 days',
  ofLearners: (share) => `${share} of learners`,
  lessonsCompleted: 'Lessons completed',
  brevetsOf: (phase) => `Brevets: ${phase}`,

  activityHeading: 'Learners active per week',
  activeLearners: 'Learners active',
  brevetsPerWeekHeading: 'Brevets earned per week',
  weekOf: (date) => `Week of ${date}`,

  completionHeading: 'Completion per phase',
  byTrack: 'By track',
  byLanguage: 'By language',
  completedShare: 'Completed (% of learners)',
  noTrack: 'No track yet',
  languageNames: { fr: 'French', nl: 'Dutch', de: 'German', en: 'English' },

  funnelHeading: 'Each lesson: opened, finished, passed',
  opened: 'Opened',
  finished: 'Finished',
  passed: (score) => `Passed (${score}% or more)`,

  unitsHeading: 'Units',
  unitsEmpty: 'No unit yet: units appear when a team adds Brevet.',
  unit: 'Unit',
  members: 'Members',
  usingBrevet: 'Using Brevet',
  startedIn: (phase) => `Started, phase ${phase}`,
  completedIn: (phase) => `Completed, phase ${phase}`,
  averageScore: 'Average score',
  brevets: 'Brevets',
  lastAssignment: 'Last assignment',
  never: 'Never',
  openUnit: (name) => `Open the figures of ${name}`,
  backToUnits: 'Back to every unit',
  unitPhasesHeading: 'Phase by phase',
  unitLessonsHeading: 'Lesson by lesson',
  phase: (n, title) => `Phase ${n}: ${title}`,
  started: 'Started',
  completed: 'Completed',

  questionsHeading: 'Questions: right at the first attempt',
  questionsHint: (answers, points) =>
    `Hardest first. Where a question has at least ${answers} answers in two languages and their shares differ by ${points} points or more, check its translation.`,
  questionsEmpty: 'No question has been answered yet.',
  question: 'Question',
  answers: 'Answers',
  rightFirst: 'Right',
  checkTranslation: 'Check the translation',

  exportCsv: 'Export (CSV)',
  exportFailed: 'The export did not work. Please try again in a moment.',
  percent: (value) => `${value}%`,
  noValue: '—',
};

const fr: ProgrammeMessages = {
  title: 'Tableau de bord du programme',
  asOf: (date) => `Chiffres du ${date}, pour votre organisation.`,
  loading: 'Chargement des chiffres du programme…',
  notForYouTitle: 'Cette page est réservée au bureau de formation',
  notForYouBody:
    'Le tableau de bord du programme montre les chiffres de toutes les unités ; seuls les administrateurs du bureau de formation peuvent l’ouvrir. Votre propre progression se trouve dans l’onglet « Mon brevet ».',

  headlineHeading: 'Chiffres clés',
  learners: 'Apprenants inscrits',
  ofPopulation: (share, population) => `${share} des ${population} personnes attendues`,
  noPopulation: 'Le nombre de personnes attendues n’est pas défini.',
  active7: 'Actifs ces 7 derniers jours',
  active30: 'Actifs ces 30 derniers jours',
  ofLearners: (share) => `${share} des apprenants`,
  lessonsCompleted: 'Leçons terminées',
  brevetsOf: (phase) => `Brevets : ${phase}`,

  activityHeading: 'Apprenants actifs par semaine',
  activeLearners: 'Apprenants actifs',
  brevetsPerWeekHeading: 'Brevets obtenus par semaine',
  weekOf: (date) => `Semaine du ${date}`,

  completionHeading: 'Achèvement par phase',
  byTrack: 'Par parcours',
  byLanguage: 'Par langue',
  completedShare: 'Terminé (% des apprenants)',
  noTrack: 'Pas encore de parcours',
  languageNames: { fr: 'Français', nl: 'Néerlandais', de: 'Allemand', en: 'Anglais' },

  funnelHeading: 'Chaque leçon : ouverte, terminée, réussie',
  opened: 'Ouverte',
  finished: 'Terminée',
  passed: (score) => `Réussie (${score} % ou plus)`,

  unitsHeading: 'Unités',
  unitsEmpty: 'Pas encore d’unité : une unité apparaît quand une équipe ajoute Brevet.',
  unit: 'Unité',
  members: 'Membres',
  usingBrevet: 'Utilisent Brevet',
  startedIn: (phase) => `Commencé, phase ${phase}`,
  completedIn: (phase) => `Terminé, phase ${phase}`,
  averageScore: 'Score moyen',
  brevets: 'Brevets',
  lastAssignment: 'Dernier envoi',
  never: 'Jamais',
  openUnit: (name) => `Ouvrir les chiffres de ${name}`,
  backToUnits: 'Retour à toutes les unités',
  unitPhasesHeading: 'Phase par phase',
  unitLessonsHeading: 'Leçon par leçon',
  phase: (n, title) => `Phase ${n} : ${title}`,
  started: 'Commencé',
  completed: 'Terminé',

  questionsHeading: 'Questions : juste du premier coup',
  questionsHint: (answers, points) =>
    `Les plus difficiles d’abord. Quand une question a au moins ${answers} réponses dans deux langues et que leurs taux diffèrent de ${points} points ou plus, vérifiez sa traduction.`,
  questionsEmpty: 'Aucune question n’a encore reçu de réponse.',
  question: 'Question',
  answers: 'Réponses',
  rightFirst: 'Justes',
  checkTranslation: 'Vérifier la traduction',

  exportCsv: 'Exporter (CSV)',
  exportFailed: 'L’export n’a pas fonctionné. Réessayez dans un instant.',
  percent: (value) => `${String(value).replace('.', ',')} %`,
  noValue: '—',
};

const nl: ProgrammeMessages = {
  title: 'Programmadashboard',
  asOf: (date) => `Cijfers van ${date}, voor uw organisatie.`,
  loading: 'De cijfers van het programma worden geladen…',
  notForYouTitle: 'Deze pagina is voor de opleidingsdienst',
  notForYouBody:
    'Het programmadashboard toont de cijfers van alle eenheden; alleen de beheerders van de opleidingsdienst kunnen het openen. Uw eigen voortgang staat in het tabblad “Mijn brevet”.',

  headlineHeading: 'Kerncijfers',
  learners: 'Ingeschreven deelnemers',
  ofPopulation: (share, population) => `${share} van de ${population} verwachte personen`,
  noPopulation: 'Het aantal verwachte personen is niet ingesteld.',
  active7: 'Actief in de laatste 7 dagen',
  active30: 'Actief in de laatste 30 dagen',
  ofLearners: (share) => `${share} van de deelnemers`,
  lessonsCompleted: 'Afgeronde lessen',
  brevetsOf: (phase) => `Brevetten: ${phase}`,

  activityHeading: 'Actieve deelnemers per week',
  activeLearners: 'Actieve deelnemers',
  brevetsPerWeekHeading: 'Behaalde brevetten per week',
  weekOf: (date) => `Week van ${date}`,

  completionHeading: 'Voltooiing per fase',
  byTrack: 'Per traject',
  byLanguage: 'Per taal',
  completedShare: 'Afgerond (% van de deelnemers)',
  noTrack: 'Nog geen traject',
  languageNames: { fr: 'Frans', nl: 'Nederlands', de: 'Duits', en: 'Engels' },

  funnelHeading: 'Elke les: geopend, afgewerkt, geslaagd',
  opened: 'Geopend',
  finished: 'Afgewerkt',
  passed: (score) => `Geslaagd (${score}% of meer)`,

  unitsHeading: 'Eenheden',
  unitsEmpty: 'Nog geen eenheden: een eenheid verschijnt wanneer een team Brevet toevoegt.',
  unit: 'Eenheid',
  members: 'Leden',
  usingBrevet: 'Gebruiken Brevet',
  startedIn: (phase) => `Begonnen, fase ${phase}`,
  completedIn: (phase) => `Afgerond, fase ${phase}`,
  averageScore: 'Gemiddelde score',
  brevets: 'Brevetten',
  lastAssignment: 'Laatste toewijzing',
  never: 'Nooit',
  openUnit: (name) => `De cijfers van ${name} openen`,
  backToUnits: 'Terug naar alle eenheden',
  unitPhasesHeading: 'Fase per fase',
  unitLessonsHeading: 'Les per les',
  phase: (n, title) => `Fase ${n}: ${title}`,
  started: 'Begonnen',
  completed: 'Afgerond',

  questionsHeading: 'Vragen: meteen juist',
  questionsHint: (answers, points) =>
    `De moeilijkste eerst. Heeft een vraag minstens ${answers} antwoorden in twee talen en verschillen hun scores ${points} punten of meer, kijk dan de vertaling na.`,
  questionsEmpty: 'Er is nog geen enkele vraag beantwoord.',
  question: 'Vraag',
  answers: 'Antwoorden',
  rightFirst: 'Juist',
  checkTranslation: 'Vertaling nakijken',

  exportCsv: 'Exporteren (CSV)',
  exportFailed: 'Het exporteren is niet gelukt. Probeer het zo dadelijk opnieuw.',
  percent: (value) => `${String(value).replace('.', ',')}%`,
  noValue: '—',
};

const de: ProgrammeMessages = {
  title: 'Programm-Dashboard',
  asOf: (date) => `Zahlen vom ${date}, für Ihre Organisation.`,
  loading: 'Die Zahlen des Programms werden geladen…',
  notForYouTitle: 'Diese Seite ist für das Ausbildungsbüro',
  notForYouBody:
    'Das Programm-Dashboard zeigt die Zahlen aller Einheiten; nur die Administratoren des Ausbildungsbüros können es öffnen. Ihren eigenen Fortschritt finden Sie im Tab „Mein Brevet“.',

  headlineHeading: 'Kennzahlen',
  learners: 'Angemeldete Lernende',
  ofPopulation: (share, population) => `${share} der ${population} erwarteten Personen`,
  noPopulation: 'Die Zahl der erwarteten Personen ist nicht festgelegt.',
  active7: 'Aktiv in den letzten 7 Tagen',
  active30: 'Aktiv in den letzten 30 Tagen',
  ofLearners: (share) => `${share} der Lernenden`,
  lessonsCompleted: 'Abgeschlossene Lektionen',
  brevetsOf: (phase) => `Brevets: ${phase}`,

  activityHeading: 'Aktive Lernende pro Woche',
  activeLearners: 'Aktive Lernende',
  brevetsPerWeekHeading: 'Erworbene Brevets pro Woche',
  weekOf: (date) => `Woche vom ${date}`,

  completionHeading: 'Abschluss pro Phase',
  byTrack: 'Nach Schwerpunkt',
  byLanguage: 'Nach Sprache',
  completedShare: 'Abgeschlossen (% der Lernenden)',
  noTrack: 'Noch kein Schwerpunkt',
  languageNames: { fr: 'Französisch', nl: 'Niederländisch', de: 'Deutsch', en: 'Englisch' },

  funnelHeading: 'Jede Lektion: geöffnet, beendet, bestanden',
  opened: 'Geöffnet',
  finished: 'Beendet',
  passed: (score) => `Bestanden (${score} % oder mehr)`,

  unitsHeading: 'Einheiten',
  unitsEmpty: 'Noch keine Einheit: Eine Einheit erscheint, wenn ein Team Brevet hinzufügt.',
  unit: 'Einheit',
  members: 'Mitglieder',
  usingBrevet: 'Nutzen Brevet',
  startedIn: (phase) => `Begonnen, Phase ${phase}`,
  completedIn: (phase) => `Abgeschlossen, Phase ${phase}`,
  averageScore: 'Durchschnittliche Punktzahl',
  brevets: 'Brevets',
  lastAssignment: 'Letzte Zuweisung',
  never: 'Nie',
  openUnit: (name) => `Die Zahlen von ${name} öffnen`,
  backToUnits: 'Zurück zu allen Einheiten',
  unitPhasesHeading: 'Phase für Phase',
  unitLessonsHeading: 'Lektion für Lektion',
  phase: (n, title) => `Phase ${n}: ${title}`,
  started: 'Begonnen',
  completed: 'Abgeschlossen',

  questionsHeading: 'Fragen: beim ersten Versuch richtig',
  questionsHint: (answers, points) =>
    `Die schwierigsten zuerst. Hat eine Frage in zwei Sprachen mindestens ${answers} Antworten und liegen deren Anteile ${points} Punkte oder mehr auseinander, prüfen Sie die Übersetzung.`,
  questionsEmpty: 'Noch keine Frage wurde beantwortet.',
  question: 'Frage',
  answers: 'Antworten',
  rightFirst: 'Richtig',
  checkTranslation: 'Übersetzung prüfen',

  exportCsv: 'Exportieren (CSV)',
  exportFailed: 'Der Export hat nicht funktioniert. Bitte versuchen Sie es gleich noch einmal.',
  percent: (value) => `${String(value).replace('.', ',')} %`,
  noValue: '—',
};

export const PROGRAMME_MESSAGES: Record<Language, ProgrammeMessages> = { en, fr, nl, de };

export function programmeMessagesFor(language: Language): ProgrammeMessages {
  return PROGRAMME_MESSAGES[language];
}
