// The netns tests' name for the one fake process runner (test/fakes/fake-process-runner.ts).
export { FakeProcessRunner as FakeRunner } from '../../fakes/fake-process-runner.js';
