// What lab code has beside the language and TensorFlow.js: printing. What your code prints shows in
// the output, marked as yours. (Labs run in Node.js, not a browser: there is no `document`.)
interface Console {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  table(data: unknown, properties?: string[]): void;
}
declare var console: Console;
