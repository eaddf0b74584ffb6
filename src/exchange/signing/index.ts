/** Ed25519 signing-key registry per operator and signed envelopes. */
export {
  generateSigningKeyPair,
  normalisePublicKey,
  registerSigningKey,
  signingInput,
  signingPurposes,
  signPayload,
  verifyEnvelope,
  verifyPayload,
  type SignedEnvelope,
  type SigningPurpose,
} from './keys.js';
