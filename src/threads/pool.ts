// A small pool of workers that run kernels of the threads build on one shared memory. It is
// written here rather than taken from piscina or tinypool because the package has no runtime
// dependencies, both of those are Node-only (browsers need the same pool over Web Workers), and
// the job is narrow: fixed-size, one kernel call per task, no transfer of data (it all lives
// in the shared memory). A task may be posted behind those a worker holds (`queueBehind`): a
// call that streams chunks keeps a worker's next chunk in the worker's own message queue, so
// the worker starts it the moment it is done with the last, without waiting for the calling
// thread to see the answer. Faults: a worker that dies fails the tasks it was running or
// holding with an Error and is replaced; workers that die before ever answering three times in
// a row mark the pool broken (every task then rejects, so nothing waits on a worker that cannot
// start).
// Memory order: a task's operands are written before its message is posted and read by the
// caller only after the answer arrives, and posting and receiving a message order memory
// between the threads (the engines pass messages through locked queues), so plain wasm loads
// and stores suffice; two parts of one call never touch the same bytes. A task's optional
// `flag` is the one atomic word: the worker claims the task there before the kernel (so the
// caller can take back a task no worker has started) and marks it done after, so a caller
// whose atomic load sees it done sees the kernel's results too, before the answer arrives.

/** One worker, as the pool sees it: whichever host (worker_threads, Web Workers) made it. */
export interface WorkerHandle {
  post(message: unknown): void;
  /** Ends the worker; resolves when it has stopped. */
  terminate(): Promise<unknown>;
  /** Node only: whether the worker keeps the process alive (only while it runs a task). */
  keepAlive(on: boolean): void;
}

/** Makes a worker; it calls `onMessage` for each answer and `onDeath` once if it dies. */
export type Spawn = (onMessage: (message: WorkerAnswer) => void, onDeath: (error: Error) => void) => WorkerHandle;

/** What a worker answers to a task. */
export interface WorkerAnswer {
  readonly id: number;
  readonly error?: string;
}

interface Task {
  readonly id: number;
  readonly kernel: string;
  readonly args: readonly number[];
  /** Whether the task may be posted to a busy worker when none is idle (see {@link Pool.run}). */
  readonly queueBehind: boolean;
  /** The byte address of the task's state, an int32 of the shared memory (see {@link Pool.run}), if any. */
  readonly flag: number | undefined;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  handle: WorkerHandle;
  /** The tasks posted to this worker and not yet answered, oldest (running, or done and not yet answered) first. */
  tasks: Task[];
  /** Whether this worker has answered at least once (it started). */
  answered: boolean;
}

/** Consecutive deaths of workers that never answered after which the pool gives up. */
const MAX_START_FAILURES = 3;

/** A fixed number of workers; tasks queue in order and go to whichever worker is free. */
export class Pool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private startFailures = 0;
  private broken: Error | null = null;
  private destroyed = false;
  /**
   * Test hook: this many of the next dispatched tasks make their worker die in the middle of
   * them (it claims the task's flag, when it has one, then dies: a crash inside the kernel).
   */
  killNext = 0;
  /** Test hook: this many of the next dispatched tasks make their worker die before it starts them (the flag left as posted). */
  killNextUnstarted = 0;
  /** Tasks handed to workers so far (the tests tell split calls from calling-thread ones by it). */
  dispatched = 0;

  constructor(size: number, private readonly spawn: Spawn) {
    for (let i = 0; i < size; i++) this.slots.push(this.newSlot());
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /** Why the pool gave up (its workers kept dying before they started), or null. */
  get brokenReason(): string | null {
    return this.broken === null ? null : this.broken.message;
  }

  private newSlot(): Slot {
    const slot: Slot = { handle: null as unknown as WorkerHandle, tasks: [], answered: false };
    slot.handle = this.spawn((answer) => this.answered(slot, answer), (error) => this.died(slot, error));
    slot.handle.keepAlive(false);
    return slot;
  }

  /**
   * Runs `kernel(...args)` on a worker; rejects when the worker dies or the pool is destroyed.
   * Tasks start in the order they were run. With `queueBehind`, the task is posted at once, to
   * the worker holding the fewest tasks when none is idle (it starts when those end); otherwise
   * it waits for an idle worker. With `flag`, the byte address of an int32 of the shared memory
   * holding 0, the task's state: the worker sets it to 1 when it starts the kernel, unless the
   * caller has set it to something else first (it then skips the kernel and answers: the caller
   * took the task back), and to 2 once the kernel returned, before it answers.
   */
  run(kernel: string, args: readonly number[], { queueBehind = false, flag }: { queueBehind?: boolean; flag?: number } = {}): Promise<void> {
    if (this.destroyed) return Promise.reject(new Error('this Activations instance was destroyed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, kernel, args, queueBehind, flag, resolve, reject });
      this.pump();
    });
  }

  /** Posts queued tasks, in order, to idle workers, then (those that may queue behind) to busy ones. */
  private pump(): void {
    while (this.queue.length > 0) {
      const task = this.queue[0];
      const slot = this.slots.find((s) => s.tasks.length === 0) ?? (task.queueBehind ? this.leastBusy() : undefined);
      if (slot === undefined) return;
      this.queue.shift();
      slot.tasks.push(task);
      this.dispatched++;
      slot.handle.keepAlive(true);
      const claimAndExit = this.killNext > 0;
      const exit = claimAndExit || this.killNextUnstarted > 0;
      if (claimAndExit) this.killNext--;
      else if (exit) this.killNextUnstarted--;
      slot.handle.post(exit
        ? { id: task.id, exit: true, flag: claimAndExit ? task.flag : undefined }
        : { id: task.id, kernel: task.kernel, args: task.args, flag: task.flag });
    }
  }

  /** The worker holding the fewest tasks (the first of them), if any. */
  private leastBusy(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) if (best === undefined || slot.tasks.length < best.tasks.length) best = slot;
    return best;
  }

  private answered(slot: Slot, answer: WorkerAnswer): void {
    const task = slot.tasks[0];
    if (task === undefined || task.id !== answer.id) return; // an answer after its task was failed
    slot.tasks.shift();
    slot.answered = true;
    this.startFailures = 0;
    if (slot.tasks.length === 0) slot.handle.keepAlive(false);
    if (answer.error !== undefined) task.reject(new Error(`the ${task.kernel} kernel failed in a worker: ${answer.error}`));
    else task.resolve();
    this.pump();
  }

  private died(slot: Slot, error: Error): void {
    if (this.destroyed) return;
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    const [running, ...behind] = slot.tasks.splice(0);
    if (running) running.reject(new Error(`a worker died while running ${running.kernel}: ${error.message}`, { cause: error }));
    for (const task of behind) task.reject(new Error(`a worker died before it ran ${task.kernel}: ${error.message}`, { cause: error }));
    if (!slot.answered && ++this.startFailures >= MAX_START_FAILURES) {
      this.broken = new Error(`the worker pool is broken: ${MAX_START_FAILURES} workers in a row died before they ran a task (last: ${error.message})`, { cause: error });
      // The other workers first leave the pool, so that their deaths, which terminate() may
      // report at once (a web Worker) or later (worker_threads), find no slot and change nothing.
      // Their tasks, which will never be answered, reject with the reason once they have stopped.
      const others = this.slots.filter((other) => other !== slot);
      this.slots.length = 0;
      for (const other of others) void this.stop(other, this.broken);
      for (const queued of this.queue.splice(0)) queued.reject(this.broken);
      return;
    }
    this.slots[index] = this.newSlot(); // the replacement takes the next queued task
    this.pump();
  }

  /**
   * Terminates a slot's worker and then rejects the tasks it held with `reason`: a worker still
   * inside a kernel must not write into memory its caller frees (and hands out again) when the
   * call fails. Resolves once the worker has stopped.
   */
  private stop(slot: Slot, reason: Error): Promise<void> {
    const tasks = slot.tasks.splice(0);
    const rejectAll = (): void => tasks.forEach((task) => task.reject(reason));
    return slot.handle.terminate().then(rejectAll, rejectAll);
  }

  /** Test hook: ends worker `index` from the outside, as a crash would. */
  terminateWorker(index: number): Promise<unknown> {
    return this.slots[index].handle.terminate();
  }

  /**
   * Ends every worker; pending and later tasks reject (those a worker holds once it has
   * stopped, as when the pool gives up). Resolves when all have stopped.
   */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    const error = new Error('this Activations instance was destroyed');
    for (const task of this.queue.splice(0)) task.reject(error);
    const stopping = this.slots.map((slot) => this.stop(slot, error));
    this.slots.length = 0;
    await Promise.all(stopping);
  }
}
