import type { Meta, StoryObj } from '@storybook/react';
import { Radio } from './Radio';

const meta = {
  title: 'Tier 1/Radio',
  component: Radio,
  tags: ['autodocs'],
  args: {
    label: 'Language',
    name: 'language',
    defaultValue: 'en',
    options: [
      { value: 'en', label: 'English' },
      { value: 'ko', label: '한국어' },
      { value: 'fr', label: 'Français' },
    ],
  },
} satisfies Meta<typeof Radio>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Group: Story = {};
export const Horizontal: Story = { args: { orientation: 'horizontal' } };
export const Invalid: Story = { args: { invalid: true, defaultValue: undefined, required: true } };
export const SingleOptions: Story = {
  render: () => (
    <fieldset>
      <legend>Language</legend>
      <Radio name="language" label="English" checked />
      <Radio name="language" label="한국어" />
    </fieldset>
  ),
};
