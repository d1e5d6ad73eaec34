// The ALTCHA proof-of-work widget (issue 14, point 3), self-hosted: the "external" build of
// static/vendor/altcha/ injects no inline style and no data: worker, so it runs under the
// Content Security Policy; its PBKDF2 worker is loaded from our own static files.
import "../vendor/altcha/altcha.min.js";
import "../vendor/altcha/i18n-id.js";
import "../vendor/altcha/i18n-en.js";

const worker = new URL("../vendor/altcha/worker-pbkdf2.js", import.meta.url);
globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(worker));
