/**
 * Child processes for the crash tests: a Node script whose stdout lines (`ack <ids>` and the like)
 * the test reads as they come, killing the child when it has seen enough.
 */
import { spawn } from 'node:child_process';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface LineChild {
  /** Settles when the child exits (rejects only when it could not be started). */
  exit: Promise<ChildExit>;
  /** SIGKILLs the child. */
  kill(): void;
}

/** Runs `node script ...args`, handing each whole line of its stdout to `onLine` as it arrives. */
export function spawnLines(script: string, args: string[], onLine: (line: string) => void): LineChild {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let pending = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  const exit = new Promise<ChildExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { exit, kill: () => child.kill('SIGKILL') };
}

/** Resolves when the child ends by SIGKILL; rejects with its stderr when it exited on its own. */
export async function killedExit(run: LineChild, name = 'writer'): Promise<void> {
  const { code, signal, stderr } = await run.exit;
  if (signal !== 'SIGKILL') throw new Error(`${name} exited with ${String(code)}: ${stderr}`);
}
