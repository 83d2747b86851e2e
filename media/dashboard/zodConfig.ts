// Must be the first import of the bundle: zod decides at schema construction whether to compile
// validators with `new Function`, and under the webview's CSP even its probe is reported as a
// violation. Jitless validation is fast enough here (columns are checked in one loop).
import * as z from 'zod/mini';

z.config({ jitless: true });
