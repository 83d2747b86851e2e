// The platforms VS Code publishes for, and the esbuild binary the extension's package for each must
// carry (esbuild compiles the learner's code and is native code). VS Code for the web is not a target:
// labs run in a Node.js child process, which the browser does not have.
'use strict';

/** vsce target → the npm package with esbuild's binary for it, and the binary's path in that package. */
const TARGETS = {
  'win32-x64': { esbuild: '@esbuild/win32-x64', binary: 'esbuild.exe' },
  'win32-arm64': { esbuild: '@esbuild/win32-arm64', binary: 'esbuild.exe' },
  'darwin-x64': { esbuild: '@esbuild/darwin-x64', binary: 'bin/esbuild' },
  'darwin-arm64': { esbuild: '@esbuild/darwin-arm64', binary: 'bin/esbuild' },
  'linux-x64': { esbuild: '@esbuild/linux-x64', binary: 'bin/esbuild' },
  'linux-arm64': { esbuild: '@esbuild/linux-arm64', binary: 'bin/esbuild' },
  'linux-armhf': { esbuild: '@esbuild/linux-arm', binary: 'bin/esbuild' },
  // esbuild's Linux binaries are static: the same ones run on musl (Alpine).
  'alpine-x64': { esbuild: '@esbuild/linux-x64', binary: 'bin/esbuild' },
  'alpine-arm64': { esbuild: '@esbuild/linux-arm64', binary: 'bin/esbuild' },
};

/** The target of the machine this runs on (undefined where VS Code publishes no build). */
function hostTarget(platform = process.platform, arch = process.arch, musl = isMusl()) {
  const cpu = arch === 'arm' ? 'armhf' : arch;
  const os = platform === 'linux' && musl ? 'alpine' : platform;
  const target = `${os}-${cpu}`;
  return Object.prototype.hasOwnProperty.call(TARGETS, target) ? target : undefined;
}

function isMusl() {
  if (process.platform !== 'linux') return false;
  // glibc reports its version in the process report; musl does not.
  const header = process.report?.getReport().header;
  return !header?.glibcVersionRuntime;
}

module.exports = { TARGETS, hostTarget };
