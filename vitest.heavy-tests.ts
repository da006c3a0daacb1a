/**
 * Test files that take minutes of CPU each: they run in `npm run test:reliability`
 * (vitest.reliability.config.ts), which CI runs after `npm test`, so `npm test` stays fast.
 */
export const HEAVY_TESTS = [
  // SIGKILL crashes, two servers on one state directory, hostile input over stdio, secrets.
  'test/reliability/**/*.test.ts',
  // The packed tarball, the installed copy and the .mcpb, launched as a host launches them.
  'test/package/*.integration.test.ts',
  // Real Vite builds and Chromium renders of exported screens (3 screens × 3 themes, slots).
  'test/screen/export-renders-in-chromium.integration.test.ts',
  // Every catalog component's preview document with every fixture theme in Chromium.
  'test/preview/every-component-document-loads.integration.test.ts',
  // dspec eval over the default suite of 53 specs × 3 trials through the built bin.
  'test/eval/eval-cli-end-to-end.integration.test.ts',
  // PNG previews through the MCP client and a headless Chromium.
  'test/preview/preview-in-chromium.integration.test.ts',
  // Every catalog component through the whole gate with every fixture theme (20 × 7).
  'test/catalog/catalog-passes-gate.integration.test.ts',
  // Every shared Tekton screen and blueprint exported through the whole gate.
  'test/screen/fixtures-export-with-slots.integration.test.ts',
  // Every example screen exported, then `dspec validate` on the folder it wrote (~45 s of CPU).
  'test/screen/validate-exported-folder.integration.test.ts',
  // The built bin over HTTP sessions: sampling, cancellation, caps, expiry, refusal to start.
  'test/server/http-sessions-built-bin.integration.test.ts',
  // Three built replicas behind a round-robin proxy: 200 Tier 2 generations, a SIGKILL, v1 and v2 clients.
  'test/team/*.integration.test.ts',
];
