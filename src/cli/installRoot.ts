// Where this ML Labs is installed: the folder above the CLI's own (dist/ once bundled), which holds
// the lab templates and the runner's bundles.
import * as path from 'path';
import { installPaths } from '../core/files/paths';

export const INSTALL_ROOT = path.resolve(__dirname, '..');
export const paths = installPaths(INSTALL_ROOT);
