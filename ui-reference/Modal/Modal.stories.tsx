import type { Meta, StoryObj } from '@storybook/react';
import { Modal } from './Modal';

const meta = {
  title: 'Tier 1/Modal',
  component: Modal,
  tags: ['autodocs'],
  args: {
    title: 'Edit user profile',
    description: 'Changes are saved to your account.',
    trigger: 'Edit profile',
    children: 'Form fields go here.',
  },
} satisfies Meta<typeof Modal>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const OpenOnLoad: Story = { args: { defaultOpen: true } };
export const Large: Story = { args: { size: 'lg', defaultOpen: true } };
export const WithFooter: Story = {
  args: {
    defaultOpen: true,
    footer: (
      <>
        <button type="button">Cancel</button>
        <button type="button">Save</button>
      </>
    ),
  },
};
