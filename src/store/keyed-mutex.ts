/**
 * Runs tasks for the same key one after another, in call order; tasks for different keys run
 * freely. This is what keeps a read-modify-write of one record from losing a concurrent write in
 * this process. (Several processes on one store need the atomic claim that a later backend adds.)
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.#tails.get(key) ?? Promise.resolve()).then(task);
    // The chain must go on whether the task failed or not.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
