// "ML Labs: Install Native TensorFlow": installs @tensorflow/tfjs-node into the extension's global
// storage (core/native/install.ts) with progress and cancel; and a status bar offer of it after a run
// that trained on WebAssembly or JavaScript where native TensorFlow exists.
import * as vscode from 'vscode';
import { COMMAND } from './commands';
import {
  BUNDLED_TFJS_VERSION,
  findNativeBackend,
  NATIVE_PACKAGE,
  nativeDirIn,
  nativeSupported,
  nativeVersion,
  shouldOfferNative,
} from '../core/native/location';
import { checkNativeBackend, installNativeBackend, MESSAGES, NativeInstallError } from '../core/native/install';
import type { LabRunner } from './labRunner';

const DECLINED_KEY = 'mllabs.nativeOfferDeclined';

const TEXT = {
  confirm: vscode.l10n.t(
    'Install native TensorFlow? ML Labs downloads {0} {1} with npm (about 100 MB, once) into its own storage; runs then train on it, usually the fastest backend.',
    NATIVE_PACKAGE,
    BUNDLED_TFJS_VERSION,
  ),
  install: vscode.l10n.t('Install'),
  reinstall: vscode.l10n.t('Reinstall'),
  never: vscode.l10n.t("Don't Offer Again"),
  progress: vscode.l10n.t('ML Labs: installing native TensorFlow'),
  installed: (version: string | undefined) =>
    version
      ? vscode.l10n.t('Native TensorFlow {0} is installed and is used by runs whose backend is "auto" or "tensorflow".', version)
      : vscode.l10n.t('Native TensorFlow is installed and is used by runs whose backend is "auto" or "tensorflow".'),
  works: vscode.l10n.t('Native TensorFlow works: the next run trains on it.'),
  doesNotWork: (reason: string) => vscode.l10n.t('Native TensorFlow was installed, but {0}. Runs keep using WebAssembly or JavaScript.', reason),
  showOutput: vscode.l10n.t('Show Output'),
  offer: `$(rocket) ${vscode.l10n.t('Native TensorFlow')}`,
  offerTip: (backend: string) =>
    vscode.l10n.t(
      'This run trained on **{0}**. Native TensorFlow (`{1}`) is usually the fastest backend: click to install it (about 100 MB, once).',
      backend,
      NATIVE_PACKAGE,
    ),
  name: vscode.l10n.t('ML Labs: native TensorFlow'),
};

/** Where the extension installs native TensorFlow; runs look there first (pass it as nativeDir). */
export function nativeBackendDir(context: vscode.ExtensionContext): string {
  return nativeDirIn(context.globalStorageUri.fsPath);
}

export class NativeBackendOffer implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mllabs.nativeOffer', vscode.StatusBarAlignment.Left, 49);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(context: vscode.ExtensionContext, runner: LabRunner) {
    this.item.name = TEXT.name;
    this.disposables.push(
      runner.onDidChooseBackend((e) => {
        const state = { installed: !!findNativeBackend(nativeBackendDir(context)), declined: context.globalState.get<boolean>(DECLINED_KEY, false) };
        if (!shouldOfferNative(e.ready, state)) return this.item.hide();
        this.item.text = TEXT.offer;
        this.item.tooltip = new vscode.MarkdownString(TEXT.offerTip(e.ready.backend));
        this.item.command = { command: COMMAND.installNativeBackend, title: 'Install Native TensorFlow', arguments: [{ fromOffer: true }] };
        this.item.show();
      }),
    );
  }

  hide(): void {
    this.item.hide();
  }

  dispose(): void {
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/** The command: confirm, install with progress (cancellable), prove it runs an op. Returns whether it works. */
export async function installNativeBackendCommand(
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
  offer: NativeBackendOffer | undefined,
  args?: unknown,
): Promise<boolean> {
  if (!nativeSupported()) {
    void vscode.window.showInformationMessage(MESSAGES.unsupported(process.platform, process.arch));
    return false;
  }
  const fromOffer = typeof args === 'object' && args !== null && (args as { fromOffer?: unknown }).fromOffer === true;
  const base = context.globalStorageUri.fsPath;
  const existing = findNativeBackend(nativeDirIn(base));
  if (existing && nativeVersion(existing) === BUNDLED_TFJS_VERSION) {
    const choice = await vscode.window.showInformationMessage(TEXT.installed(nativeVersion(existing)), TEXT.reinstall);
    if (choice !== TEXT.reinstall) return true;
  } else {
    const choice = await vscode.window.showInformationMessage(TEXT.confirm, { modal: true }, TEXT.install, ...(fromOffer ? [TEXT.never] : []));
    if (choice === TEXT.never) {
      await context.globalState.update(DECLINED_KEY, true);
      offer?.hide();
    }
    if (choice !== TEXT.install) return false;
  }

  output.appendLine(`native TensorFlow: installing ${NATIVE_PACKAGE} ${BUNDLED_TFJS_VERSION} into ${nativeDirIn(base)}`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: TEXT.progress, cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return installNativeBackend({
          base,
          signal: controller.signal,
          onOutput: (line) => {
            output.appendLine(`native TensorFlow: ${line}`);
            progress.report({ message: line.length > 80 ? `${line.slice(0, 79)}…` : line });
          },
        });
      },
    );
    const check = await checkNativeBackend(result.packageDir);
    if (!check.ok) {
      output.appendLine(`native TensorFlow: ${check.reason}`);
      void vscode.window.showWarningMessage(TEXT.doesNotWork(check.reason), TEXT.showOutput).then((c) => c && output.show(true));
      return false;
    }
    offer?.hide();
    void vscode.window.showInformationMessage(TEXT.works);
    return true;
  } catch (err) {
    const message = err instanceof NativeInstallError ? err.message : `Installing native TensorFlow failed: ${(err as Error).message}`;
    output.appendLine(`native TensorFlow: ${message}`);
    if (err instanceof NativeInstallError && err.kind === 'cancelled') void vscode.window.showInformationMessage(message);
    else void vscode.window.showErrorMessage(message, TEXT.showOutput).then((c) => c && output.show(true));
    return false;
  }
}
