// Which of the suite's server scenarios say something about dspec, per protocol revision.
// A scenario applies when it probes behaviour every MCP server owes (the handshake or discovery,
// listing, transport, headers, caching hints, error shapes). It does not apply when it calls the
// suite's own fixture tools, prompts or resources (`test_*`, `test://…`): against dspec those
// answer "not found", which proves nothing either way (a few even pass vacuously). Each such
// scenario is listed with its reason, never dropped silently; the runner refuses to start when the
// installed suite lists a scenario this table does not place, or this table names one it does not.

export const REVISIONS = /** @type {const} */ (['2025-11-25', '2026-07-28']);

const FIXTURE_TOOLS = "calls the suite's fixture tools (test_*), which dspec does not register";
const FIXTURE_PROMPTS = "gets the suite's fixture prompts (test_*), which dspec does not register";
const FIXTURE_RESOURCES = "reads the suite's fixture resources (test://…), which dspec does not serve";

/** @type {Record<string, string>} scenario → why it does not apply, in both revisions */
const FIXTURE_SCENARIOS = {
  'completion-complete': "asks completions for the suite's fixture prompt test_prompt_with_arguments",
  'tools-call-simple-text': FIXTURE_TOOLS,
  'tools-call-image': FIXTURE_TOOLS,
  'tools-call-audio': FIXTURE_TOOLS,
  'tools-call-embedded-resource': FIXTURE_TOOLS,
  'tools-call-mixed-content': FIXTURE_TOOLS,
  'tools-call-error': FIXTURE_TOOLS,
  'tools-call-with-progress': FIXTURE_TOOLS,
  'json-schema-2020-12': "looks for the suite's fixture tool json_schema_2020_12_tool in tools/list",
  'resources-read-text': FIXTURE_RESOURCES,
  'resources-read-binary': FIXTURE_RESOURCES,
  'resources-templates-read': "reads the suite's fixture template test://template/{id}/data",
  'prompts-get-simple': FIXTURE_PROMPTS,
  'prompts-get-with-args': FIXTURE_PROMPTS,
  'prompts-get-embedded-resource': FIXTURE_PROMPTS,
  'prompts-get-with-image': FIXTURE_PROMPTS,
};

/** @type {Record<string, string>} the 2025 revision's scenarios for features 2026-07-28 removed, on fixtures too */
const FIXTURE_SCENARIOS_2025_ONLY = {
  'tools-call-with-logging': FIXTURE_TOOLS,
  'tools-call-sampling': FIXTURE_TOOLS,
  'tools-call-elicitation': FIXTURE_TOOLS,
  'elicitation-sep1034-defaults': FIXTURE_TOOLS,
  'elicitation-sep1330-enums': FIXTURE_TOOLS,
  'server-sse-polling': "calls the suite's fixture tool test_reconnection, which must drop its stream mid-call",
  'resources-subscribe': 'subscribes to the fixture test://watched-resource; dspec does not offer resources.subscribe',
  'resources-unsubscribe': 'unsubscribes from the fixture test://watched-resource; dspec does not offer resources.subscribe',
};

const FIXTURE_INPUT_REQUIRED = "calls the suite's fixture tools test_input_required_result_* (MRTR round trips it scripts)";
const TASKS_EXTENSION = 'tasks extension (not scored by the suite): dspec does not advertise io.modelcontextprotocol/tasks, and the scenario drives the fixture tool test_tool_with_task';

/**
 * Per revision: the scenarios run against dspec, and those that do not apply with the reason.
 * @type {Record<(typeof REVISIONS)[number], { applicable: string[], notApplicable: Record<string, string> }>}
 */
export const SCENARIOS = {
  '2025-11-25': {
    applicable: [
      'server-initialize',
      'ping',
      'logging-set-level',
      'tools-list',
      'resources-list',
      'prompts-list',
      'server-sse-multiple-streams',
      'dns-rebinding-protection',
      // Added after the revision's release, so the suite reports it without scoring it; dspec's
      // sessions (the 2025 default) should still honour DELETE.
      'server-session-lifecycle',
    ],
    notApplicable: { ...FIXTURE_SCENARIOS, ...FIXTURE_SCENARIOS_2025_ONLY },
  },
  '2026-07-28': {
    applicable: [
      'server-stateless',
      'tools-list',
      'resources-list',
      'prompts-list',
      'server-sse-multiple-streams',
      'dns-rebinding-protection',
      'caching',
      'sep-2164-resource-not-found',
      'input-required-result-unsupported-methods',
      // Pending in the suite (reported, not scored); the Mcp-Method / Mcp-Name checks hold for any tool.
      'http-header-validation',
    ],
    notApplicable: {
      ...FIXTURE_SCENARIOS,
      'http-custom-header-server-validation': 'needs a tool with an x-mcp-header parameter; no dspec tool declares one',
      'input-required-result-basic-elicitation': FIXTURE_INPUT_REQUIRED,
      'input-required-result-basic-sampling': FIXTURE_INPUT_REQUIRED,
      'input-required-result-basic-list-roots': FIXTURE_INPUT_REQUIRED,
      'input-required-result-request-state': FIXTURE_INPUT_REQUIRED,
      'input-required-result-multiple-input-requests': FIXTURE_INPUT_REQUIRED,
      'input-required-result-multi-round': FIXTURE_INPUT_REQUIRED,
      'input-required-result-missing-input-response': FIXTURE_INPUT_REQUIRED,
      'input-required-result-non-tool-request': "gets the suite's fixture prompt test_input_required_result_prompt",
      'input-required-result-result-type': FIXTURE_INPUT_REQUIRED,
      'input-required-result-tampered-state': FIXTURE_INPUT_REQUIRED,
      'input-required-result-capability-check': FIXTURE_INPUT_REQUIRED,
      'input-required-result-ignore-extra-params': FIXTURE_INPUT_REQUIRED,
      'input-required-result-validate-input': FIXTURE_INPUT_REQUIRED,
      'tasks-lifecycle': TASKS_EXTENSION,
      'tasks-capability-negotiation': TASKS_EXTENSION,
      'tasks-wire-fields': TASKS_EXTENSION,
      'tasks-request-state-removal': TASKS_EXTENSION,
      'tasks-mrtr-input': TASKS_EXTENSION,
      'tasks-request-headers': TASKS_EXTENSION,
      'tasks-dispatch-and-envelope': TASKS_EXTENSION,
      'tasks-status-notifications': TASKS_EXTENSION,
      'tasks-required-task-error': TASKS_EXTENSION,
      'tasks-mrtr-composition': TASKS_EXTENSION,
    },
  },
};

/**
 * The scenarios the suite lists for a revision that this table does not place, and those it
 * places that the suite no longer lists: both must be empty before a run means anything.
 * @param {(typeof REVISIONS)[number]} revision
 * @param {string[]} listed the suite's server scenarios for the revision (scored or not)
 */
export function compareWithSuite(revision, listed) {
  const { applicable, notApplicable } = SCENARIOS[revision];
  const placed = new Set([...applicable, ...Object.keys(notApplicable)]);
  const listedSet = new Set(listed);
  return {
    unplaced: listed.filter((name) => !placed.has(name)),
    stale: [...placed].filter((name) => !listedSet.has(name)),
  };
}
