// Must be the first import of the bundle: zod decides when a schema is built whether to compile
// validators with `new Function`, which the webview's CSP forbids (even its probe is reported).
import * as z from 'zod/mini';

z.config({ jitless: true });
