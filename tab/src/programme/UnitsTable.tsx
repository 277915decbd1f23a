import {
  Button,
  createTableColumn,
  DataGrid,
  DataGridBody,
  DataGridCell,
  DataGridHeader,
  DataGridHeaderCell,
  DataGridRow,
  Link,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
  typographyStyles,
  type TableColumnDefinition,
  type TableColumnSizingOptions,
} from '@fluentui/react-components';
import { ArrowLeft20Regular } from '@fluentui/react-icons';
import { formatDate, type Language } from '../progress';
import { CsvButton } from './CsvButton';
import {
  type PhaseName,
  type UnitDocument,
  type UnitRow,
  type UnitsDocument,
} from './programme-api';
import { type ProgrammeMessages } from './programme-i18n';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  grid: { minWidth: '1100px' },
  number: { textAlign: 'end', justifyContent: 'flex-end' },
  heading: { ...typographyStyles.subtitle2, margin: `${tokens.spacingVerticalM} 0 0` },
  bar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

const byNullable = (a: number | null, b: number | null) => (a ?? -1) - (b ?? -1);

/** Every unit, sortable by any column; a unit's name opens its figures. */
export function UnitsTable({
  doc,
  language,
  p,
  onOpen,
}: {
  doc: UnitsDocument;
  language: Language;
  p: ProgrammeMessages;
  onOpen: (unit: UnitRow) => void;
}) {
  const styles = useStyles();
  const phaseColumns = doc.phases.flatMap((phase, index): TableColumnDefinition<UnitRow>[] => [
    createTableColumn<UnitRow>({
      columnId: `started-${phase.phaseId}`,
      compare: (a, b) => (a.phases[index]?.started ?? 0) - (b.phases[index]?.started ?? 0),
      renderHeaderCell: () => p.startedIn(phase.number),
      renderCell: (unit) => unit.phases[index]?.started ?? 0,
    }),
    createTableColumn<UnitRow>({
      columnId: `completed-${phase.phaseId}`,
      compare: (a, b) => (a.phases[index]?.completed ?? 0) - (b.phases[index]?.completed ?? 0),
      renderHeaderCell: () => p.completedIn(phase.number),
      renderCell: (unit) => unit.phases[index]?.completed ?? 0,
    }),
  ]);
  const columns: TableColumnDefinition<UnitRow>[] = [
    createTableColumn<UnitRow>({
      columnId: 'name',
      compare: (a, b) => a.name.localeCompare(b.name, language),
      renderHeaderCell: () => p.unit,
      renderCell: (unit) => (
        <Link as="button" onClick={() => onOpen(unit)} aria-label={p.openUnit(unit.name)}>
          {unit.name || unit.unitId}
        </Link>
      ),
    }),
    createTableColumn<UnitRow>({
      columnId: 'members',
      compare: (a, b) => a.members - b.members,
      renderHeaderCell: () => p.members,
      renderCell: (unit) => unit.members,
    }),
    createTableColumn<UnitRow>({
      columnId: 'learners',
      compare: (a, b) => a.learners - b.learners,
      renderHeaderCell: () => p.usingBrevet,
      renderCell: (unit) => unit.learners,
    }),
    ...phaseColumns,
    createTableColumn<UnitRow>({
      columnId: 'averageScore',
      compare: (a, b) => byNullable(a.averageScore, b.averageScore),
      renderHeaderCell: () => p.averageScore,
      renderCell: (unit) => (unit.averageScore === null ? p.noValue : p.percent(unit.averageScore)),
    }),
    createTableColumn<UnitRow>({
      columnId: 'brevets',
      compare: (a, b) => a.brevets - b.brevets,
      renderHeaderCell: () => p.brevets,
      renderCell: (unit) => unit.brevets,
    }),
    createTableColumn<UnitRow>({
      columnId: 'lastAssignment',
      compare: (a, b) => (a.lastAssignment ?? '').localeCompare(b.lastAssignment ?? ''),
      renderHeaderCell: () => p.lastAssignment,
      renderCell: (unit) =>
        unit.lastAssignment ? formatDate(language, unit.lastAssignment) : p.never,
    }),
  ];
  // The unit's name takes the room it needs; the figures share the rest.
  const sizing: TableColumnSizingOptions = Object.fromEntries(
    columns.map((column) => [
      column.columnId,
      column.columnId === 'name'
        ? { minWidth: 220, idealWidth: 300, defaultWidth: 300 }
        : column.columnId === 'lastAssignment'
          ? { minWidth: 110, idealWidth: 140, defaultWidth: 140 }
          : { minWidth: 70, idealWidth: 88, defaultWidth: 88 },
    ]),
  );
  if (doc.units.length === 0) return <Text>{p.unitsEmpty}</Text>;
  return (
    <div className={styles.scroll}>
      <DataGrid
        className={styles.grid}
        items={doc.units}
        columns={columns}
        sortable
        resizableColumns
        columnSizingOptions={sizing}
        defaultSortState={{ sortColumn: 'name', sortDirection: 'ascending' }}
        getRowId={(unit: UnitRow) => unit.unitId}
        size="small"
        data-testid="units-table"
      >
        <DataGridHeader>
          <DataGridRow>
            {({ renderHeaderCell }) => (
              <DataGridHeaderCell>{renderHeaderCell()}</DataGridHeaderCell>
            )}
          </DataGridRow>
        </DataGridHeader>
        <DataGridBody<UnitRow>>
          {({ item, rowId }) => (
            <DataGridRow<UnitRow> key={rowId} data-unit={item.unitId}>
              {({ renderCell }) => <DataGridCell>{renderCell(item)}</DataGridCell>}
            </DataGridRow>
          )}
        </DataGridBody>
      </DataGrid>
    </div>
  );
}

/** One unit's figures: phase by phase, then its members' funnel lesson by lesson. */
export function UnitDetail({
  doc,
  language,
  p,
  passingScore,
  onBack,
}: {
  doc: UnitDocument;
  language: Language;
  p: ProgrammeMessages;
  passingScore: number;
  onBack: () => void;
}) {
  const styles = useStyles();
  const phaseTitle = (phase: PhaseName) => p.phase(phase.number, phase.title);
  return (
    <div data-testid="unit-detail" data-unit={doc.unit.unitId}>
      <div className={styles.bar}>
        <Button appearance="subtle" icon={<ArrowLeft20Regular />} onClick={onBack}>
          {p.backToUnits}
        </Button>
        <CsvButton
          path={`/units/${encodeURIComponent(doc.unit.unitId)}`}
          language={language}
          p={p}
        />
      </div>
      <h3 className={styles.heading}>{doc.unit.name}</h3>
      <Text>
        {p.members}: {doc.unit.members} · {p.usingBrevet}: {doc.unit.learners} · {p.averageScore}:{' '}
        {doc.unit.averageScore === null ? p.noValue : p.percent(doc.unit.averageScore)}
      </Text>
      <h4 className={styles.heading}>{p.unitPhasesHeading}</h4>
      <Table size="small" aria-label={p.unitPhasesHeading}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{p.unitPhasesHeading}</TableHeaderCell>
            <TableHeaderCell>{p.started}</TableHeaderCell>
            <TableHeaderCell>{p.completed}</TableHeaderCell>
            <TableHeaderCell>{p.averageScore}</TableHeaderCell>
            <TableHeaderCell>{p.brevets}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {doc.phases.map((phase, index) => {
            const figures = doc.unit.phases[index];
            return (
              <TableRow key={phase.phaseId}>
                <TableCell>{phaseTitle(phase)}</TableCell>
                <TableCell>{figures?.started ?? 0}</TableCell>
                <TableCell>{figures?.completed ?? 0}</TableCell>
                <TableCell>
                  {figures && figures.averageScore !== null
                    ? p.percent(figures.averageScore)
                    : p.noValue}
                </TableCell>
                <TableCell>{figures?.brevets ?? 0}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <h4 className={styles.heading}>{p.unitLessonsHeading}</h4>
      <div className={styles.scroll}>
        <Table size="small" aria-label={p.unitLessonsHeading}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{p.unitLessonsHeading}</TableHeaderCell>
              <TableHeaderCell>{p.opened}</TableHeaderCell>
              <TableHeaderCell>{p.finished}</TableHeaderCell>
              <TableHeaderCell>{p.passed(passingScore)}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {doc.lessons.map((lesson) => (
              <TableRow key={lesson.lessonId} data-lesson={lesson.lessonId}>
                <TableCell>{lesson.title}</TableCell>
                <TableCell>{lesson.opened}</TableCell>
                <TableCell>{lesson.finished}</TableCell>
                <TableCell>{lesson.passed}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
