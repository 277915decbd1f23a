import {
  Badge,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { type QuestionsDocument } from './programme-api';
import { type ProgrammeMessages } from './programme-i18n';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  table: { minWidth: '1100px' },
  questionCell: { minWidth: '380px', width: '40%' },
  lesson: { color: tokens.colorNeutralForeground3 },
  low: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

/** Per question, the share right at the first attempt, overall and per language; hardest first. */
export function QuestionsTable({ doc, p }: { doc: QuestionsDocument; p: ProgrammeMessages }) {
  const styles = useStyles();
  if (doc.questions.length === 0) return <Text>{p.questionsEmpty}</Text>;
  const languages = doc.questions[0]!.languages.map((l) => l.language);
  return (
    <div className={styles.scroll}>
      <Table className={styles.table} size="small" data-testid="questions-table">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.questionCell}>{p.question}</TableHeaderCell>
            <TableHeaderCell>{p.answers}</TableHeaderCell>
            <TableHeaderCell>{p.rightFirst}</TableHeaderCell>
            {languages.map((language) => (
              <TableHeaderCell key={language}>{p.languageNames[language]}</TableHeaderCell>
            ))}
            <TableHeaderCell>{p.checkTranslation}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {doc.questions.map((q) => {
            const shares = q.languages
              .filter((l) => l.answered >= doc.minAnswersToCompare && l.rightShare !== null)
              .map((l) => l.rightShare!);
            const lowest = shares.length >= 2 ? Math.min(...shares) : null;
            return (
              <TableRow
                key={`${q.lessonId} ${q.questionId}`}
                data-question={`${q.lessonId}/${q.questionId}`}
              >
                <TableCell>
                  <TableCellLayout
                    description={<span className={styles.lesson}>{q.lessonTitle}</span>}
                  >
                    {q.question}
                  </TableCellLayout>
                </TableCell>
                <TableCell>{q.answered}</TableCell>
                <TableCell>{p.percent(q.rightShare)}</TableCell>
                {q.languages.map((l) => (
                  <TableCell
                    key={l.language}
                    className={
                      q.flagged && l.rightShare !== null && l.rightShare === lowest
                        ? styles.low
                        : undefined
                    }
                  >
                    {l.rightShare === null
                      ? p.noValue
                      : `${p.percent(l.rightShare)} (${l.answered})`}
                  </TableCell>
                ))}
                <TableCell>
                  {q.flagged && (
                    <Badge color="danger" appearance="tint" data-testid="flagged">
                      {p.checkTranslation}
                    </Badge>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
