import { Button, Text, tokens, makeStyles } from '@fluentui/react-components';
import { ArrowDownload20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { type Language } from '../progress';
import { saveFile } from '../save-file';
import { getSsoToken } from '../teams';
import { fetchCsv } from './programme-api';
import { type ProgrammeMessages } from './programme-i18n';

const useStyles = makeStyles({
  wrap: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

/** Downloads one dashboard table as the server writes it (GET …?format=csv, SSO token). */
export function CsvButton({
  path,
  language,
  p,
}: {
  /** The route under /api/programme, e.g. `/units`. */
  path: string;
  language: Language;
  p: ProgrammeMessages;
}) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const download = async () => {
    setBusy(true);
    setFailed(false);
    try {
      const { blob, name } = await fetchCsv(path, await getSsoToken(), language);
      saveFile(blob, name);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className={styles.wrap}>
      <Button
        appearance="subtle"
        size="small"
        icon={<ArrowDownload20Regular />}
        disabled={busy}
        onClick={() => void download()}
        data-csv={path}
      >
        {p.exportCsv}
      </Button>
      {failed && (
        <Text role="alert" className={styles.failed}>
          {p.exportFailed}
        </Text>
      )}
    </span>
  );
}
