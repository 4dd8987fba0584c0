// ink decides once, when it is first imported, whether it runs under CI; there it draws only the final frame, which
// would make the component tests see nothing. The product never renders ink under CI (it prints plain lines), so the
// tests render as on a terminal. Tests that start the CLI set CI for the child processes themselves. So CI tells a
// test nothing here: .ci/run sets EMBNAS_REQUIRE_ALL=1 instead, which this file leaves alone (test/require.ts).
process.env.CI = 'false';
