// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Modal } from './Modal';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Modal', () => {
  it('opens from its trigger with the keyboard, labelled by its title and description', async () => {
    const user = userEvent.setup();
    render(
      <Modal title="Edit profile" description="Update your details." trigger="Edit">
        <input aria-label="Name" />
      </Modal>,
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit' }));
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('dialog', { name: 'Edit profile' });
    // Radix hides the rest of the page with aria-hidden rather than aria-modal.
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(screen.getByText('Update your details.').id).toBe(dialog.getAttribute('aria-describedby'));
  });

  it('traps focus inside while open', async () => {
    const user = userEvent.setup();
    render(
      <>
        <button type="button">Outside</button>
        <Modal title="Edit profile" defaultOpen>
          <input aria-label="Name" />
        </Modal>
      </>,
    );
    const dialog = screen.getByRole('dialog');
    for (let step = 0; step < 4; step += 1) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
  });

  it('closes with Escape, calls onClose and returns focus to the trigger', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    function Harness() {
      const [open, setOpen] = useState(false);
      return <Modal title="Confirm" open={open} onOpenChange={setOpen} onClose={onClose} trigger={<button type="button">Open</button>} />;
    }
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(screen.getByRole('dialog')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Open' }));
  });

  it('closes with its close button', async () => {
    const user = userEvent.setup();
    render(<Modal title="Confirm" defaultOpen closeLabel="Dismiss" />);
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('treats `open` without a handler as the initial state', async () => {
    const user = userEvent.setup();
    render(<Modal title="Welcome" open />);
    expect(screen.getByRole('dialog')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('forwards its ref to the dialog and sets its size', () => {
    const ref = createRef<HTMLDivElement>();
    render(<Modal title="Sized" defaultOpen size="large" ref={ref} />);
    expect(ref.current).toBe(screen.getByRole('dialog'));
    expect(ref.current?.dataset['size']).toBe('lg');
  });

  it('has no axe violations when open', async () => {
    const { baseElement } = render(
      <Modal title="Edit profile" description="Update your details." defaultOpen footer={<button type="button">Save</button>}>
        <label>
          Name <input />
        </label>
      </Modal>,
    );
    // The dialog is portalled to <body>, so check the whole document rather than the container.
    const results = await axe.run(baseElement, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
