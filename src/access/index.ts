/** Identity and access: roles, the route table, API keys, sessions and the Fastify hooks. */
export * from './roles.js';
export * from './permissions.js';
export * from './api-keys.js';
export * from './sessions.js';
export * from './principal.js';
export { accessErrorCodes } from './error-codes.js';
export {
  installAccess,
  registeredRoutes,
  trackRoutes,
  type AccessConfig,
  type AccessRuntime,
  type RegisteredRoute,
} from './plugin.js';
