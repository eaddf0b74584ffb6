/** Test support for store adapters: the contract suite and valid fixtures. */
export { runStoreContract } from '../store-contract.js';
export {
  amendWrites,
  createWrites,
  fixtureAssessment,
  fixtureConsignment,
  fixtureEvent,
  fixtureInput,
  fixtureSource,
  type FixtureOptions,
} from './fixtures.js';
