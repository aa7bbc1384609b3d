import * as Mocha from 'mocha';

/**
 * Mocha's spec output plus one plain closing line, `N passed, N failed`, that CI reads (mocha's own
 * summary is not read by it).
 */
class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    // Registered after Spec's own epilogue, so this line comes last.
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
      console.log(`\n${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
    });
  }
}

export = SummaryReporter;
