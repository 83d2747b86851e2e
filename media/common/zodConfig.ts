// Must be the first import of each page's bundle: zod decides when a schema is built whether to
// compile validators with `new Function`, which the webview's CSP forbids (even its probe is reported
// as a violation). Jitless validation is fast enough here (columns are checked in one loop).
import * as z from 'zod/mini';

z.config({ jitless: true });
