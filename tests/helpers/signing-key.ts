/** The token server's signing key lives in the emulator now (it signs registry tokens too). */
export { createSigningKey, type SigningKey } from '../../src/emulator/signing-key.js';
