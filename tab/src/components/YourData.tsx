import {
  Button,
  Card,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Text,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { ArrowDownload20Regular, Delete20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { eraseMyData, fetchMyData } from '../api';
import { type Messages } from '../i18n';
import { saveFile } from '../save-file';
import { getSsoToken } from '../teams';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalM },
  title: { ...typographyStyles.subtitle1, margin: 0 },
  body: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
});

/**
 * "Your data": a copy of everything Brevet keeps about the learner (GET /api/me/data), and its
 * erasure after a confirmation (DELETE /api/me/data). The SSO token names the learner.
 */
export function YourData({ t, onErased }: { t: Messages; onErased: () => void }) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const run = async (work: (token: string) => Promise<void>) => {
    setBusy(true);
    setFailed(false);
    try {
      await work(await getSsoToken());
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="your-data-title" data-testid="your-data">
      <Card className={styles.card}>
        <h2 id="your-data-title" className={styles.title}>
          {t.dataHeading}
        </h2>
        <Text className={styles.body}>{t.dataBody}</Text>
        <div className={styles.actions}>
          <Button
            icon={<ArrowDownload20Regular />}
            disabled={busy}
            onClick={() =>
              void run(async (token) => saveFile(await fetchMyData(token), 'brevet-my-data.json'))
            }
          >
            {t.dataDownload}
          </Button>
          <Dialog modalType="alert">
            <DialogTrigger disableButtonEnhancement>
              <Button icon={<Delete20Regular />} disabled={busy}>
                {t.dataErase}
              </Button>
            </DialogTrigger>
            <DialogSurface>
              <DialogBody>
                <DialogTitle>{t.dataEraseTitle}</DialogTitle>
                <DialogContent>{t.dataEraseBody}</DialogContent>
                <DialogActions>
                  <DialogTrigger disableButtonEnhancement>
                    <Button appearance="secondary">{t.dataEraseCancel}</Button>
                  </DialogTrigger>
                  <DialogTrigger disableButtonEnhancement>
                    <Button
                      appearance="primary"
                      onClick={() =>
                        void run(async (token) => {
                          await eraseMyData(token);
                          onErased();
                        })
                      }
                    >
                      {t.dataEraseConfirm}
                    </Button>
                  </DialogTrigger>
                </DialogActions>
              </DialogBody>
            </DialogSurface>
          </Dialog>
        </div>
        {failed && <Text role="alert">{t.dataFailed}</Text>}
      </Card>
    </section>
  );
}
