// Jest ignores `testTimeout` inside a `projects` entry; integration specs talk to a real broker and
// database on a shared 2-core machine, so they get two minutes per test and hook.
jest.setTimeout(120_000);
