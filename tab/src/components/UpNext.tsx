import {
  Button,
  Card,
  Text,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { Chat20Regular, Fire20Filled } from '@fluentui/react-icons';
import { useState } from 'react';
import { type Messages } from '../i18n';
import { formatDate, phaseOf, type Language, type ProgressDocument } from '../progress';
import { openInTeams } from '../teams';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalM },
  title: { ...typographyStyles.subtitle1, margin: 0 },
  welcomeTitle: { ...typographyStyles.title3, margin: 0 },
  next: { ...typographyStyles.body1Strong },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
  hint: { color: tokens.colorNeutralForeground2 },
  review: { ...typographyStyles.body1 },
  streak: {
    display: 'inline-flex',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalXS,
    color: tokens.colorPaletteDarkOrangeForeground1,
  },
});

/** The button that opens the 1:1 chat with the bot (Teams deep link), or what to type there. */
function ChatAction({
  chatUrl,
  label,
  t,
}: {
  chatUrl: string | null | undefined;
  label: string;
  t: Messages;
}) {
  const styles = useStyles();
  const [failed, setFailed] = useState(false);
  if (!chatUrl) return <Text className={styles.hint}>{t.typeInChat(t.nextCommand)}</Text>;
  return (
    <div className={styles.actions}>
      <Button
        appearance="primary"
        icon={<Chat20Regular />}
        onClick={() => {
          setFailed(false);
          openInTeams(chatUrl).catch(() => setFailed(true));
        }}
      >
        {label}
      </Button>
      {failed && (
        <Text role="alert" className={styles.hint}>
          {t.openChatFailed(t.nextCommand)}
        </Text>
      )}
    </div>
  );
}

/** For someone the bot has not met yet: what Brevet is and how to start. */
export function Welcome({ document, t }: { document: ProgressDocument; t: Messages }) {
  const styles = useStyles();
  return (
    <section aria-labelledby="welcome-title" data-testid="welcome">
      <Card className={styles.card}>
        <h2 id="welcome-title" className={styles.welcomeTitle}>
          {t.welcomeTitle}
        </h2>
        <Text>{t.welcomeBody}</Text>
        <ChatAction chatUrl={document.chatUrl} label={t.startInChat} t={t} />
      </Card>
    </section>
  );
}

/** The learner's next step (lesson, track choice, a phase to wait for, or all done). */
export function UpNext({
  document,
  language,
  t,
}: {
  document: ProgressDocument;
  language: Language;
  t: Messages;
}) {
  const styles = useStyles();
  const next = document.next;
  let text: string | undefined;
  let canContinue = false;
  if (next?.kind === 'lesson') {
    const phase = phaseOf(document, next.phaseId);
    const position = phase ? document.phases.indexOf(phase) + 1 : 0;
    text = t.nextLesson(
      next.title,
      phase ? t.phaseHeading(phase.number ?? position, phase.title) : next.phaseId,
    );
    canContinue = true;
  } else if (next?.kind === 'chooseTrack') {
    text = t.nextChooseTrack(phaseOf(document, next.phaseId)?.title ?? next.phaseId);
    canContinue = true;
  } else if (next?.kind === 'phaseNotOpen') {
    text = t.nextPhaseNotOpen(
      phaseOf(document, next.phaseId)?.title ?? next.phaseId,
      formatDate(language, next.opensAt),
    );
  } else if (next?.kind === 'allDone') {
    text = t.allDone;
  }
  const streak = document.streak ?? 0;
  if (text === undefined && document.reviewDue === undefined && streak === 0) return null;
  return (
    <section aria-labelledby="up-next-title" data-testid="up-next">
      <Card className={styles.card}>
        <h2 id="up-next-title" className={styles.title}>
          {t.upNextHeading}
        </h2>
        {text !== undefined && (
          <Text className={styles.next} data-testid="next-step">
            {text}
          </Text>
        )}
        {streak > 0 && (
          <Text className={styles.streak} data-testid="streak">
            <Fire20Filled aria-hidden />
            {t.streak(streak)}
          </Text>
        )}
        {document.reviewDue !== undefined && (
          <Text className={styles.review} data-testid="review-due">
            {t.reviewDue(document.reviewDue)}
            {document.reviewDue > 0 && <> {t.reviewHint(t.reviewCommand)}</>}
          </Text>
        )}
        {(canContinue || (document.reviewDue ?? 0) > 0) && (
          <ChatAction chatUrl={document.chatUrl} label={t.continueInChat} t={t} />
        )}
      </Card>
    </section>
  );
}
