// The few Storybook CSF 3 types the stories use, so this folder type-checks without
// @storybook/react installed. Where Storybook is installed, its own types win: this file is
// not part of any component bundle.
declare module '@storybook/react' {
  import type { ComponentProps, ComponentType, ReactElement } from 'react';

  // `any` here, as in Storybook's own types: component props are contravariant, so no
  // narrower type admits every component.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type AnyComponent = ComponentType<any>;

  interface Annotations<TArgs> {
    args?: Partial<TArgs>;
    argTypes?: Record<string, unknown>;
    parameters?: Record<string, unknown>;
    render?: (args: TArgs) => ReactElement;
  }

  export interface Meta<TComponent extends AnyComponent> extends Annotations<ComponentProps<TComponent>> {
    title?: string;
    component: TComponent;
    tags?: string[];
  }

  export type StoryObj<TMeta> = (TMeta extends { component: infer TComponent extends AnyComponent }
    ? Annotations<ComponentProps<TComponent>>
    : Annotations<TMeta>) & { name?: string };
}
