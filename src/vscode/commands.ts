// Every command ML Labs contributes, by id: the one place an id is spelled. package.json's
// contributes.commands lists exactly these (a unit test checks) and extensionCommands.ts implements each
// (the compiler checks). The activation entry imports this file, so it holds constants only.
export const COMMAND = {
  startLab: 'mllabs.startLab',
  run: 'mllabs.run',
  stop: 'mllabs.stop',
  grade: 'mllabs.grade',
  openPlayground: 'mllabs.openPlayground',
  openDashboard: 'mllabs.openDashboard',
  showHint: 'mllabs.showHint',
  resetFile: 'mllabs.resetFile',
  openInstructions: 'mllabs.openInstructions',
  tune: 'mllabs.tune',
  takeQuiz: 'mllabs.takeQuiz',
  refreshLabs: 'mllabs.refreshLabs',
  installNativeBackend: 'mllabs.installNativeBackend',
} as const;

export type CommandId = (typeof COMMAND)[keyof typeof COMMAND];

export const COMMAND_IDS: readonly CommandId[] = Object.values(COMMAND);
