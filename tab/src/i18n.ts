/**
 * Every string the tab shows, in the programme's four languages. The `Messages` interface makes
 * a missing translation a compile error; tests/tab/i18n.test.ts checks that none is empty or left
 * in English. Pure TypeScript: no DOM, no React.
 */
import { type Language, type LessonState, type PhaseState } from './progress';

export interface Messages {
  /** The tab's name, as in the app manifest. */
  appTitle: string;
  connecting: string;
  loadingProgress: string;
  refreshing: string;
  refresh: string;
  retry: string;

  outsideTeamsTitle: string;
  outsideTeamsBody: string;
  teamsTimeoutDetail: (seconds: number) => string;

  signInErrorTitle: string;
  signInErrorBody: string;
  notAcceptedTitle: string;
  notAcceptedBody: string;
  unavailableTitle: string;
  unavailableBody: string;
  notConfiguredBody: string;
  requestTimeoutDetail: (seconds: number) => string;

  welcomeTitle: string;
  welcomeBody: string;
  startInChat: string;

  upNextHeading: string;
  nextLesson: (lesson: string, phase: string) => string;
  nextChooseTrack: (phase: string) => string;
  nextPhaseNotOpen: (phase: string, date: string) => string;
  allDone: string;
  continueInChat: string;
  /** When the tab cannot open the chat itself: what to type there. */
  typeInChat: (command: string) => string;
  openChatFailed: (command: string) => string;
  /** The bot's "next" command in this language (README, "What a learner can do"). */
  nextCommand: string;

  reviewDue: (count: number) => string;
  reviewHint: (command: string) => string;
  /** Working days in a row with a lesson or a review (shown from 1). */
  streak: (days: number) => string;
  /** The bot's "review" command in this language. */
  reviewCommand: string;

  phaseHeading: (number: number, title: string) => string;
  phaseState: Record<PhaseState, string>;
  opensOn: (date: string) => string;
  progressLabel: (phase: string, done: number, total: number) => string;
  lessonsDone: (done: number, total: number) => string;
  statLessons: string;
  statScore: string;
  statBrevet: string;
  statReview: string;
  scoreValue: (score: number) => string;
  noScoreYet: string;
  brevetEarnedOn: (date: string) => string;
  brevetNotYet: string;
  track: (title: string) => string;
  trackPending: string;
  lessonsHeading: string;
  noLessons: string;
  lessonState: Record<LessonState, string>;
  lessonScore: (score: number) => string;
  minutes: (count: number) => string;

  dataHeading: string;
  dataBody: string;
  dataDownload: string;
  dataErase: string;
  dataEraseTitle: string;
  dataEraseBody: string;
  dataEraseConfirm: string;
  dataEraseCancel: string;
  dataErased: string;
  dataFailed: string;
}

const en: Messages = {
  appTitle: 'My brevet',
  connecting: 'Connecting to Teams…',
  loadingProgress: 'Loading your progress…',
  refreshing: 'Refreshing…',
  refresh: 'Refresh',
  retry: 'Try again',

  outsideTeamsTitle: 'Open this page in Microsoft Teams',
  outsideTeamsBody:
    'This is the "My brevet" tab of the Brevet app and it only works inside Microsoft Teams. Open Teams, select Apps, find Brevet and open its "My brevet" tab.',
  teamsTimeoutDetail: (s) => `Teams did not answer within ${s} seconds.`,

  signInErrorTitle: 'Teams could not sign you in to Brevet',
  signInErrorBody:
    'Select "Try again". If it keeps failing, close and reopen Teams; if that does not help, contact the training office.',
  notAcceptedTitle: 'Your sign-in was not accepted',
  notAcceptedBody:
    'Select "Try again". If it keeps failing, your organisation may not have Brevet yet: contact the training office.',
  unavailableTitle: 'Brevet cannot be reached right now',
  unavailableBody:
    'Your progress is safe. Try again in a few minutes; lessons in the chat keep working.',
  notConfiguredBody:
    'Sign-in for this tab is not set up on the server yet. Tell the training office; meanwhile, type "progress" in the chat with Brevet.',
  requestTimeoutDetail: (s) => `No answer within ${s} seconds.`,

  welcomeTitle: 'Welcome to Brevet',
  welcomeBody:
    'Learn Microsoft 365 Copilot Chat safely, a few minutes a day. Lessons and quizzes take place in the chat with Brevet; this tab shows your progress, phase by phase.',
  startInChat: 'Start the first lesson in the chat',

  upNextHeading: 'Up next',
  nextLesson: (lesson, phase) => `${lesson} (${phase})`,
  nextChooseTrack: (phase) => `Choose your track for the phase “${phase}” in the chat.`,
  nextPhaseNotOpen: (phase, date) => `The next phase, “${phase}”, opens on ${date}.`,
  allDone: 'You have completed every phase. Well done!',
  continueInChat: 'Continue in the chat',
  typeInChat: (command) => `Open the chat with Brevet and type "${command}".`,
  openChatFailed: (command) =>
    `Teams could not open the chat. Open the chat with Brevet yourself and type "${command}".`,
  nextCommand: 'next',

  reviewHint: (command) => `Type "${command}" in the chat with Brevet to go over them.`,
  reviewCommand: 'review',
  streak: (n) => (n === 1 ? '1 working day in a row' : `${n} working days in a row`),
  reviewDue: (n) =>
    n === 0
      ? 'No questions to review'
      : n === 1
        ? '1 question to review'
        : `${n} questions to review`,

  phaseHeading: (n, title) => `Phase ${n}: ${title}`,
  phaseState: { notOpen: 'Not open yet', open: 'Open', complete: 'Complete' },
  opensOn: (date) => `Opens on ${date}`,
  progressLabel: (phase, done, total) => `${phase}: ${done} of ${total} lessons done`,
  lessonsDone: (done, total) => `${done} of ${total} done`,
  statLessons: 'Lessons',
  statScore: 'Quiz score',
  statBrevet: 'Brevet',
  statReview: 'Review',
  scoreValue: (score) => `${score}%`,
  noScoreYet: 'None yet',
  brevetEarnedOn: (date) => `Earned on ${date}`,
  brevetNotYet: 'Not earned yet',
  track: (title) => `Track: ${title}`,
  trackPending: 'Choose your track in the chat to see the lessons of this phase.',
  lessonsHeading: 'Lessons',
  noLessons: 'No lessons in this phase yet.',
  lessonState: { done: 'Done', inProgress: 'In progress', todo: 'To do', locked: 'Not open yet' },
  lessonScore: (score) => `Score ${score}%`,
  minutes: (n) => `${n} min`,
  dataHeading: 'Your data',
  dataBody:
    'Brevet keeps your language, time zone and reminder settings, your lessons, answers, scores and brevets, your review schedule and the days you were active. Your unit’s leads see your progress in their report.',
  dataDownload: 'Download a copy',
  dataErase: 'Delete my data',
  dataEraseTitle: 'Delete your data?',
  dataEraseBody:
    'This deletes your progress, answers, scores, brevets, review schedule and settings for good. If you write to Brevet again, you start afresh.',
  dataEraseConfirm: 'Delete everything',
  dataEraseCancel: 'Keep my data',
  dataErased: 'Your data is deleted.',
  dataFailed: 'That did not work. Please try again in a moment.',
};

const fr: Messages = {
  appTitle: 'Mon brevet',
  connecting: 'Connexion à Teams…',
  loadingProgress: 'Chargement de votre progression…',
  refreshing: 'Actualisation…',
  refresh: 'Actualiser',
  retry: 'Réessayer',

  outsideTeamsTitle: 'Ouvrez cette page dans Microsoft Teams',
  outsideTeamsBody:
    'Ceci est l’onglet « Mon brevet » de l’application Brevet ; il ne fonctionne que dans Microsoft Teams. Ouvrez Teams, choisissez Applications, trouvez Brevet et ouvrez son onglet « Mon brevet ».',
  teamsTimeoutDetail: (s) => `Teams n’a pas répondu en ${s} secondes.`,

  signInErrorTitle: 'Teams n’a pas pu vous connecter à Brevet',
  signInErrorBody:
    'Choisissez « Réessayer ». Si l’échec persiste, fermez et rouvrez Teams ; si cela ne suffit pas, contactez le service de formation.',
  notAcceptedTitle: 'Votre connexion n’a pas été acceptée',
  notAcceptedBody:
    'Choisissez « Réessayer ». Si l’échec persiste, votre organisation n’a peut-être pas encore Brevet : contactez le service de formation.',
  unavailableTitle: 'Brevet est injoignable pour le moment',
  unavailableBody:
    'Votre progression est conservée. Réessayez dans quelques minutes ; les leçons dans le chat continuent de fonctionner.',
  notConfiguredBody:
    'La connexion de cet onglet n’est pas encore configurée sur le serveur. Prévenez le service de formation ; en attendant, tapez « progression » dans le chat avec Brevet.',
  requestTimeoutDetail: (s) => `Pas de réponse en ${s} secondes.`,

  welcomeTitle: 'Bienvenue dans Brevet',
  welcomeBody:
    'Apprenez Microsoft 365 Copilot Chat en toute sécurité, quelques minutes par jour. Les leçons et les quiz se déroulent dans le chat avec Brevet ; cet onglet montre votre progression, phase par phase.',
  startInChat: 'Commencer la première leçon dans le chat',

  upNextHeading: 'À suivre',
  nextLesson: (lesson, phase) => `${lesson} (${phase})`,
  nextChooseTrack: (phase) => `Choisissez votre parcours pour la phase « ${phase} » dans le chat.`,
  nextPhaseNotOpen: (phase, date) => `La phase suivante, « ${phase} », ouvre le ${date}.`,
  allDone: 'Vous avez terminé toutes les phases. Bravo !',
  continueInChat: 'Continuer dans le chat',
  typeInChat: (command) => `Ouvrez le chat avec Brevet et tapez « ${command} ».`,
  openChatFailed: (command) =>
    `Teams n’a pas pu ouvrir le chat. Ouvrez vous-même le chat avec Brevet et tapez « ${command} ».`,
  nextCommand: 'suivant',

  reviewHint: (command) => `Tapez « ${command} » dans le chat avec Brevet pour les revoir.`,
  reviewCommand: 'revoir',
  streak: (n) => (n === 1 ? '1 jour ouvrable d’affilée' : `${n} jours ouvrables d’affilée`),
  reviewDue: (n) =>
    n === 0
      ? 'Aucune question à revoir'
      : n === 1
        ? '1 question à revoir'
        : `${n} questions à revoir`,

  phaseHeading: (n, title) => `Phase ${n} : ${title}`,
  phaseState: { notOpen: 'Pas encore ouverte', open: 'Ouverte', complete: 'Terminée' },
  opensOn: (date) => `Ouvre le ${date}`,
  progressLabel: (phase, done, total) => `${phase} : ${done} leçons terminées sur ${total}`,
  lessonsDone: (done, total) => `${done} sur ${total} terminées`,
  statLessons: 'Leçons',
  statScore: 'Score aux quiz',
  statBrevet: 'Brevet',
  statReview: 'À revoir',
  scoreValue: (score) => `${score} %`,
  noScoreYet: 'Pas encore',
  brevetEarnedOn: (date) => `Obtenu le ${date}`,
  brevetNotYet: 'Pas encore obtenu',
  track: (title) => `Parcours : ${title}`,
  trackPending: 'Choisissez votre parcours dans le chat pour voir les leçons de cette phase.',
  lessonsHeading: 'Leçons',
  noLessons: 'Pas encore de leçons dans cette phase.',
  lessonState: {
    done: 'Terminée',
    inProgress: 'En cours',
    todo: 'À faire',
    locked: 'Pas encore ouverte',
  },
  lessonScore: (score) => `Score ${score} %`,
  minutes: (n) => `${n} min`,
  dataHeading: 'Vos données',
  dataBody:
    'Brevet conserve votre langue, votre fuseau horaire et vos réglages de rappel, vos leçons, réponses, scores et brevets, votre calendrier de révision et les jours où vous avez été actif. Les responsables de votre unité voient votre progression dans leur rapport.',
  dataDownload: 'Télécharger une copie',
  dataErase: 'Supprimer mes données',
  dataEraseTitle: 'Supprimer vos données ?',
  dataEraseBody:
    'Cela supprime définitivement votre progression, vos réponses, vos scores, vos brevets, votre calendrier de révision et vos réglages. Si vous écrivez à nouveau à Brevet, vous repartez de zéro.',
  dataEraseConfirm: 'Tout supprimer',
  dataEraseCancel: 'Garder mes données',
  dataErased: 'Vos données sont supprimées.',
  dataFailed: 'Cela n’a pas fonctionné. Réessayez dans un instant.',
};

const nl: Messages = {
  appTitle: 'Mijn brevet',
  connecting: 'Verbinden met Teams…',
  loadingProgress: 'Je voortgang wordt geladen…',
  refreshing: 'Vernieuwen…',
  refresh: 'Vernieuwen',
  retry: 'Opnieuw proberen',

  outsideTeamsTitle: 'Open deze pagina in Microsoft Teams',
  outsideTeamsBody:
    'Dit is het tabblad "Mijn brevet" van de app Brevet en het werkt alleen in Microsoft Teams. Open Teams, kies Apps, zoek Brevet en open het tabblad "Mijn brevet".',
  teamsTimeoutDetail: (s) => `Teams antwoordde niet binnen ${s} seconden.`,

  signInErrorTitle: 'Teams kon je niet aanmelden bij Brevet',
  signInErrorBody:
    'Kies "Opnieuw proberen". Lukt het nog steeds niet, sluit Teams en open het opnieuw; helpt dat niet, neem contact op met de opleidingsdienst.',
  notAcceptedTitle: 'Je aanmelding werd niet aanvaard',
  notAcceptedBody:
    'Kies "Opnieuw proberen". Lukt het nog steeds niet, dan heeft je organisatie Brevet misschien nog niet: neem contact op met de opleidingsdienst.',
  unavailableTitle: 'Brevet is momenteel niet bereikbaar',
  unavailableBody:
    'Je voortgang blijft bewaard. Probeer het over een paar minuten opnieuw; de lessen in de chat blijven werken.',
  notConfiguredBody:
    'De aanmelding voor dit tabblad is nog niet ingesteld op de server. Verwittig de opleidingsdienst; typ intussen "voortgang" in de chat met Brevet.',
  requestTimeoutDetail: (s) => `Geen antwoord binnen ${s} seconden.`,

  welcomeTitle: 'Welkom bij Brevet',
  welcomeBody:
    'Leer Microsoft 365 Copilot Chat veilig gebruiken, een paar minuten per dag. Lessen en quizzen vinden plaats in de chat met Brevet; dit tabblad toont je voortgang, fase per fase.',
  startInChat: 'Begin de eerste les in de chat',

  upNextHeading: 'Volgende stap',
  nextLesson: (lesson, phase) => `${lesson} (${phase})`,
  nextChooseTrack: (phase) => `Kies in de chat je traject voor de fase "${phase}".`,
  nextPhaseNotOpen: (phase, date) => `De volgende fase, "${phase}", opent op ${date}.`,
  allDone: 'Je hebt alle fasen afgerond. Goed gedaan!',
  continueInChat: 'Verdergaan in de chat',
  typeInChat: (command) => `Open de chat met Brevet en typ "${command}".`,
  openChatFailed: (command) =>
    `Teams kon de chat niet openen. Open zelf de chat met Brevet en typ "${command}".`,
  nextCommand: 'volgende',

  reviewHint: (command) => `Typ "${command}" in de chat met Brevet om ze te herhalen.`,
  reviewCommand: 'herhalen',
  streak: (n) => (n === 1 ? '1 werkdag op rij' : `${n} werkdagen op rij`),
  reviewDue: (n) =>
    n === 0
      ? 'Geen vragen om te herhalen'
      : n === 1
        ? '1 vraag om te herhalen'
        : `${n} vragen om te herhalen`,

  phaseHeading: (n, title) => `Fase ${n}: ${title}`,
  phaseState: { notOpen: 'Nog niet open', open: 'Open', complete: 'Afgerond' },
  opensOn: (date) => `Opent op ${date}`,
  progressLabel: (phase, done, total) => `${phase}: ${done} van ${total} lessen afgerond`,
  lessonsDone: (done, total) => `${done} van ${total} afgerond`,
  statLessons: 'Lessen',
  statScore: 'Quizscore',
  statBrevet: 'Brevet',
  statReview: 'Herhalen',
  scoreValue: (score) => `${score}%`,
  noScoreYet: 'Nog geen',
  brevetEarnedOn: (date) => `Behaald op ${date}`,
  brevetNotYet: 'Nog niet behaald',
  track: (title) => `Traject: ${title}`,
  trackPending: 'Kies je traject in de chat om de lessen van deze fase te zien.',
  lessonsHeading: 'Lessen',
  noLessons: 'Nog geen lessen in deze fase.',
  lessonState: { done: 'Afgerond', inProgress: 'Bezig', todo: 'Te doen', locked: 'Nog niet open' },
  lessonScore: (score) => `Score ${score}%`,
  minutes: (n) => `${n} min.`,
  dataHeading: 'Jouw gegevens',
  dataBody:
    'Brevet bewaart je taal, tijdzone en herinneringsinstellingen, je lessen, antwoorden, scores en brevetten, je herhalingsschema en de dagen waarop je actief was. De verantwoordelijken van je eenheid zien je voortgang in hun rapport.',
  dataDownload: 'Een kopie downloaden',
  dataErase: 'Mijn gegevens wissen',
  dataEraseTitle: 'Je gegevens wissen?',
  dataEraseBody:
    'Dit wist je voortgang, antwoorden, scores, brevetten, herhalingsschema en instellingen voorgoed. Als je Brevet opnieuw schrijft, begin je van voren af aan.',
  dataEraseConfirm: 'Alles wissen',
  dataEraseCancel: 'Mijn gegevens houden',
  dataErased: 'Je gegevens zijn gewist.',
  dataFailed: 'Dat is niet gelukt. Probeer het zo meteen opnieuw.',
};

const de: Messages = {
  appTitle: 'Mein Brevet',
  connecting: 'Verbindung mit Teams…',
  loadingProgress: 'Ihr Fortschritt wird geladen…',
  refreshing: 'Wird aktualisiert…',
  refresh: 'Aktualisieren',
  retry: 'Erneut versuchen',

  outsideTeamsTitle: 'Öffnen Sie diese Seite in Microsoft Teams',
  outsideTeamsBody:
    'Dies ist die Registerkarte „Mein Brevet“ der App Brevet; sie funktioniert nur in Microsoft Teams. Öffnen Sie Teams, wählen Sie Apps, suchen Sie Brevet und öffnen Sie die Registerkarte „Mein Brevet“.',
  teamsTimeoutDetail: (s) => `Teams hat nicht innerhalb von ${s} Sekunden geantwortet.`,

  signInErrorTitle: 'Teams konnte Sie nicht bei Brevet anmelden',
  signInErrorBody:
    'Wählen Sie „Erneut versuchen“. Schlägt es weiter fehl, schließen und öffnen Sie Teams neu; hilft das nicht, wenden Sie sich an den Ausbildungsdienst.',
  notAcceptedTitle: 'Ihre Anmeldung wurde nicht akzeptiert',
  notAcceptedBody:
    'Wählen Sie „Erneut versuchen“. Schlägt es weiter fehl, hat Ihre Organisation Brevet vielleicht noch nicht: Wenden Sie sich an den Ausbildungsdienst.',
  unavailableTitle: 'Brevet ist gerade nicht erreichbar',
  unavailableBody:
    'Ihr Fortschritt bleibt gespeichert. Versuchen Sie es in ein paar Minuten erneut; die Lektionen im Chat funktionieren weiter.',
  notConfiguredBody:
    'Die Anmeldung für diese Registerkarte ist auf dem Server noch nicht eingerichtet. Informieren Sie den Ausbildungsdienst; geben Sie bis dahin „fortschritt“ im Chat mit Brevet ein.',
  requestTimeoutDetail: (s) => `Keine Antwort innerhalb von ${s} Sekunden.`,

  welcomeTitle: 'Willkommen bei Brevet',
  welcomeBody:
    'Lernen Sie Microsoft 365 Copilot Chat sicher zu nutzen, ein paar Minuten am Tag. Lektionen und Quizze finden im Chat mit Brevet statt; diese Registerkarte zeigt Ihren Fortschritt, Phase für Phase.',
  startInChat: 'Die erste Lektion im Chat beginnen',

  upNextHeading: 'Als Nächstes',
  nextLesson: (lesson, phase) => `${lesson} (${phase})`,
  nextChooseTrack: (phase) => `Wählen Sie im Chat Ihren Schwerpunkt für die Phase „${phase}“.`,
  nextPhaseNotOpen: (phase, date) => `Die nächste Phase, „${phase}“, öffnet am ${date}.`,
  allDone: 'Sie haben alle Phasen abgeschlossen. Gut gemacht!',
  continueInChat: 'Im Chat weitermachen',
  typeInChat: (command) => `Öffnen Sie den Chat mit Brevet und geben Sie „${command}“ ein.`,
  openChatFailed: (command) =>
    `Teams konnte den Chat nicht öffnen. Öffnen Sie den Chat mit Brevet selbst und geben Sie „${command}“ ein.`,
  nextCommand: 'weiter',

  reviewHint: (command) => `Geben Sie „${command}“ im Chat mit Brevet ein, um sie zu wiederholen.`,
  reviewCommand: 'wiederholen',
  streak: (n) => (n === 1 ? '1 Arbeitstag in Folge' : `${n} Arbeitstage in Folge`),
  reviewDue: (n) =>
    n === 0
      ? 'Keine Fragen zu wiederholen'
      : n === 1
        ? '1 Frage zu wiederholen'
        : `${n} Fragen zu wiederholen`,

  phaseHeading: (n, title) => `Phase ${n}: ${title}`,
  phaseState: { notOpen: 'Noch nicht geöffnet', open: 'Geöffnet', complete: 'Abgeschlossen' },
  opensOn: (date) => `Öffnet am ${date}`,
  progressLabel: (phase, done, total) => `${phase}: ${done} von ${total} Lektionen abgeschlossen`,
  lessonsDone: (done, total) => `${done} von ${total} abgeschlossen`,
  statLessons: 'Lektionen',
  statScore: 'Quizergebnis',
  statBrevet: 'Brevet',
  statReview: 'Wiederholen',
  scoreValue: (score) => `${score} %`,
  noScoreYet: 'Noch keines',
  brevetEarnedOn: (date) => `Erworben am ${date}`,
  brevetNotYet: 'Noch nicht erworben',
  track: (title) => `Schwerpunkt: ${title}`,
  trackPending: 'Wählen Sie im Chat Ihren Schwerpunkt, um die Lektionen dieser Phase zu sehen.',
  lessonsHeading: 'Lektionen',
  noLessons: 'Noch keine Lektionen in dieser Phase.',
  lessonState: {
    done: 'Abgeschlossen',
    inProgress: 'Begonnen',
    todo: 'Offen',
    locked: 'Noch nicht geöffnet',
  },
  lessonScore: (score) => `Ergebnis ${score} %`,
  minutes: (n) => `${n} Min.`,
  dataHeading: 'Ihre Daten',
  dataBody:
    'Brevet speichert Ihre Sprache, Zeitzone und Erinnerungseinstellungen, Ihre Lektionen, Antworten, Ergebnisse und Brevets, Ihren Wiederholungsplan und die Tage, an denen Sie aktiv waren. Die Einheitsleitung sieht Ihren Fortschritt in ihrem Bericht.',
  dataDownload: 'Kopie herunterladen',
  dataErase: 'Meine Daten löschen',
  dataEraseTitle: 'Ihre Daten löschen?',
  dataEraseBody:
    'Damit werden Ihr Fortschritt, Ihre Antworten, Ergebnisse, Brevets, Ihr Wiederholungsplan und Ihre Einstellungen endgültig gelöscht. Wenn Sie Brevet wieder schreiben, beginnen Sie von vorn.',
  dataEraseConfirm: 'Alles löschen',
  dataEraseCancel: 'Daten behalten',
  dataErased: 'Ihre Daten sind gelöscht.',
  dataFailed: 'Das hat nicht funktioniert. Bitte versuchen Sie es gleich noch einmal.',
};

export const MESSAGES: Record<Language, Messages> = { fr, nl, de, en };

export function messagesFor(language: Language): Messages {
  return MESSAGES[language];
}
