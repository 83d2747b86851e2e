// Where ML Labs keeps its own files on this machine (outside every lab folder): $MLLABS_HOME, else ~/.mllabs.
import * as os from 'os';
import * as path from 'path';

export function mllabsHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.MLLABS_HOME ? path.resolve(env.MLLABS_HOME) : path.join(os.homedir(), '.mllabs');
}
