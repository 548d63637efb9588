/** A pin's level as the wire has it: 0 low, 1 high. Inputs with a pull-up read 1 until pressed. */
export type Level = 0 | 1;

/** Which changes of an input are reported. */
export type Edge = 'rising' | 'falling' | 'both';

export interface InputOptions {
  /** A change is reported once the level has been steady this long (contact bounce). */
  readonly debounceMs: number;
  readonly edge: Edge;
}

/** A pin driving a LED or a buzzer. */
export interface GpioOutput {
  set(on: boolean): void;
}

/** A pin reading a button or a switch. */
export interface GpioInput {
  read(): Level;
  /** Calls back with the level after an edge, once it has been steady for `debounceMs`. */
  watch(onLevel: (level: Level) => void): void;
}

/** The GPIO port: pins by BCM number. `main.ts` picks the real (onoff) or the simulated one. */
export interface GpioPort {
  readonly kind: 'sim' | 'onoff';
  output(bcm: number): GpioOutput;
  input(bcm: number, options: InputOptions): GpioInput;
  /** Releases every pin; outputs are left off. */
  close(): void;
}

/** An opaque timer handle. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/** The timers GPIO logic runs on; tests pass fake ones. */
export interface Timers {
  setTimeout(run: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's timers, looked up on each call so that fake timers installed later are honoured. */
export const systemTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};
