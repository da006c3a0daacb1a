/**
 * The screen blueprint the export tests send: a header, a sidebar list and a button whose handler
 * the export cannot wire (so it warns about "handleInvite"). Tests that count progress steps or
 * files depend on its three components.
 */
export const teamPageBlueprint = {
  id: 'team-page',
  name: 'Team',
  layout: 'sidebar-left',
  components: [
    { type: 'Heading', props: { level: 1 }, children: ['Team'], slot: 'header' },
    { type: 'List', props: { items: ['Ada', 'Grace'] }, slot: 'sidebar' },
    { type: 'Button', props: { label: 'Invite', onClick: 'handleInvite' } },
  ],
};
