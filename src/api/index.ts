/** The HTTP API (Fastify). */
export { buildApp, type AppDeps } from './app.js';
export { installJsonBodyParser } from './json-body.js';
export { apiErrorCodes, problem, type Problem } from './problem.js';
export { openRegistryServices, type RegistryServices } from './registry-services.js';
