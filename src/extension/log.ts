import * as vscode from 'vscode';
import { maskUrl } from '../core/alembic';

/** Any URL with a password in a log line is masked, wherever it sits in the line. */
export function maskLine(line: string): string {
  return line.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (url) => maskUrl(url));
}

/** The "Alembic Squash" LogOutputChannel; every line goes through `maskLine`. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel = vscode.window.createOutputChannel('Alembic Squash', { log: true });

  info(message: string): void {
    this.channel.info(maskLine(message));
  }
  warn(message: string): void {
    this.channel.warn(maskLine(message));
  }
  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
    this.channel.error(maskLine(message + detail));
  }
  /** One line per command run, with its arguments (masked). */
  command(id: string, args: unknown[]): void {
    const shown = args.length ? ` ${safeJson(args)}` : '';
    this.channel.info(maskLine(`command ${id}${shown}`));
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v) => (v instanceof vscode.Uri ? v.toString() : v));
    return text.length > 500 ? text.slice(0, 500) + '…' : text;
  } catch {
    return '[unprintable]';
  }
}
