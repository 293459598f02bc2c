import { Yaml } from 'cdk8s';
import { SCENARIOS } from './scenarios';

// Whole-output pins of the scenarios no committed dist/ covers. The committed outputs are pinned
// by output-stability.test.ts instead, so a change to them is reviewed once, in dist/.
describe.each(SCENARIOS.filter((s) => !s.committed).map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
  test('matches the snapshot (YAML, as reviewers read it)', () => {
    expect(Yaml.stringify(...scenario.synth())).toMatchSnapshot();
  });
});
