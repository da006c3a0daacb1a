import type { ComponentPropsWithRef, ReactNode } from 'react';
import styles from './Table.module.css';

export type TableCellValue = string | number | boolean | null | undefined;
export type TableSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';

export interface TableColumn<Row> {
  /** The key of the row value this column shows. */
  id: string;
  /** Header text. */
  label: string;
  align?: 'start' | 'center' | 'end';
  /** Custom cell content; defaults to the row value as text. */
  render?: (row: Row) => ReactNode;
}

export interface TableProps<Row extends Record<string, TableCellValue> = Record<string, TableCellValue>>
  extends Omit<ComponentPropsWithRef<'table'>, 'children'> {
  columns: ReadonlyArray<TableColumn<Row>>;
  data: ReadonlyArray<Row>;
  /** Visible caption that names the table; use `label` for an invisible name. */
  caption?: string;
  label?: string;
  striped?: boolean;
  size?: TableSize;
  /** The row field that identifies each row (a stable React key); the index otherwise. */
  rowKey?: string;
  /** Shown in a single row when `data` is empty. */
  emptyMessage?: string;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

function formatCell(value: TableCellValue): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

export function Table<Row extends Record<string, TableCellValue> = Record<string, TableCellValue>>({
  columns,
  data,
  caption,
  label,
  striped = false,
  size = 'md',
  rowKey,
  emptyMessage = 'No data',
  className,
  ref,
  ...rest
}: TableProps<Row>) {
  const normalisedSize = SIZE[size];
  return (
    <div className={styles.scroller}>
      <table
        aria-label={caption ? undefined : label}
        {...rest}
        ref={ref}
        data-size={normalisedSize}
        data-striped={striped || undefined}
        className={[styles.root, styles[normalisedSize], striped ? styles.striped : undefined, className].filter(Boolean).join(' ')}
      >
        {caption ? <caption className={styles.caption}>{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.id} scope="col" className={styles[`align-${column.align ?? 'start'}`]}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className={styles.empty}>
                {emptyMessage}
              </td>
            </tr>
          ) : (
            data.map((row, index) => (
              <tr key={rowKey ? formatCell(row[rowKey]) : index}>
                {columns.map((column) => (
                  <td key={column.id} className={styles[`align-${column.align ?? 'start'}`]}>
                    {column.render ? column.render(row) : formatCell(row[column.id])}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
Table.displayName = 'Table';
