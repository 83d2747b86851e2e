// zod's English error messages ("Too small: expected number to be >=1"). The classic API installs
// them when its first schema is built; zod/mini leaves the locale to the program, and without one
// every built-in message is "Invalid input". Imported for its effect by the modules that define
// schemas; a locale set explicitly elsewhere is kept.
import * as z from 'zod/mini';
import { en } from 'zod/locales';

if (!z.config().localeError) z.config(en());
