import type { Meta, StoryObj } from '@storybook/react';
import { Form } from './Form';

const meta = {
  title: 'Tier 1/Form',
  component: Form,
  tags: ['autodocs'],
  args: { label: 'Profile' },
  render: (args) => (
    <Form {...args}>
      <label>
        Full name <input name="name" />
      </label>
      <label>
        Email <input name="email" type="email" />
      </label>
      <button type="submit">Save changes</button>
    </Form>
  ),
} satisfies Meta<typeof Form>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const Compact: Story = { args: { gap: 'sm' } };
