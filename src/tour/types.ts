/** What a tour step can do: explain, run dial commands visibly, or quietly to learn values. */
export interface TourContext {
  /** Prints explanatory text. */
  say(text: string): void;
  /** Runs `dial ARGS` in the tour's DIAL_HOME and shows the command and its output. */
  show(args: string[], opts?: {expectExit?: number; input?: string; note?: string; home?: string}): Promise<TourCommandResult>;
  /** Runs another program (kcat, ...) and shows it as `show` does (a missing program is a failed step: check first). */
  showTool(program: string, args: string[], opts?: {expectExit?: number; input?: string; note?: string}): Promise<TourCommandResult>;
  /** Runs `dial ARGS --json` without showing it and returns the parsed output. */
  json<T = unknown>(args: string[], opts?: {home?: string}): Promise<T>;
  /** The tour's temporary DIAL_HOME (show and json take another with {home}, e.g. for a second cluster a step stops itself). */
  readonly home: string;
  /** Values steps share (e.g. an instance port learned in one step). */
  readonly vars: Record<string, string>;
}

export interface TourCommandResult {
  /** The program, when it is not dial. */
  program?: string;
  args: string[];
  /** What was fed to the command's stdin, if anything. */
  input?: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface TourStep {
  id: string;
  title: string;
  run(ctx: TourContext): Promise<void>;
}

export type TourEvent =
  | {type: 'step'; index: number; total: number; step: TourStep}
  | {type: 'say'; text: string}
  | {type: 'command'; result: TourCommandResult; note?: string}
  | {type: 'done'; ok: boolean};
