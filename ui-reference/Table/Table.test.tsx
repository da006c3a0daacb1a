// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Table } from './Table';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

const columns = [
  { id: 'date', label: 'Date' },
  { id: 'action', label: 'Action' },
  { id: 'count', label: 'Count', align: 'end' as const },
];
const data = [
  { date: '2026-01-28', action: 'Completed Project Alpha', count: 3 },
  { date: '2026-01-27', action: 'Updated documentation', count: null },
];

describe('Table', () => {
  it('renders column headers and one row per record, named by its caption', () => {
    render(<Table caption="Recent activity" columns={columns} data={data} />);
    const table = screen.getByRole('table', { name: 'Recent activity' });
    expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Date', 'Action', 'Count']);
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['2026-01-28', 'Completed Project Alpha', '3']);
    expect(within(rows[2]!).getAllByRole('cell')[2]!.textContent).toBe('');
  });

  it('renders custom cells and an empty message', () => {
    const { rerender } = render(
      <Table label="People" columns={[{ id: 'name', label: 'Name', render: (row) => <strong>{String(row['name'])}</strong> }]} data={[{ name: 'Ada' }]} />,
    );
    expect(screen.getByText('Ada').tagName).toBe('STRONG');
    rerender(<Table label="People" columns={columns} data={[]} emptyMessage="Nothing yet" />);
    expect(screen.getByRole('cell').textContent).toBe('Nothing yet');
  });

  it('marks the striped variant and forwards its ref', () => {
    const ref = createRef<HTMLTableElement>();
    render(<Table ref={ref} striped size="small" label="x" columns={columns} data={data} />);
    expect(ref.current?.dataset['striped']).toBe('true');
    expect(ref.current?.dataset['size']).toBe('sm');
  });

  it('adds no tab stops: a static table is read, not operated', () => {
    render(<Table label="x" columns={columns} data={data} />);
    expect(document.querySelectorAll('[tabindex]')).toHaveLength(0);
  });

  it('has no axe violations', async () => {
    const { container } = render(<Table caption="Recent activity" striped columns={columns} data={data} />);
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
