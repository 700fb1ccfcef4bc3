/**
 * A least-recently-used cache bounded by a total weight (bytes for COG blocks and vector tiles, 1 per
 * entry for COG headers). A Map keeps insertion order, so re-inserting on every hit makes its first key
 * the oldest.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, { value: V; weight: number }>();
  readonly #pending = new Map<K, Promise<V>>();
  #weight = 0;

  constructor(
    readonly maxWeight: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get weight(): number {
    return this.#weight;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.weigh(value);
    if (weight > this.maxWeight) return;
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    for (const [oldest, entry] of this.#entries) {
      if (this.#weight <= this.maxWeight) break;
      this.#entries.delete(oldest);
      this.#weight -= entry.weight;
    }
  }

  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }

  /** The value under `key`, loading (once, even for concurrent callers) and caching it when absent. */
  async getOrLoad(key: K, load: () => Promise<V>): Promise<V> {
    const pending = this.#pending;
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const promise = load().then(
      (value) => {
        this.set(key, value);
        pending.delete(key);
        return value;
      },
      (error: unknown) => {
        pending.delete(key);
        throw error;
      },
    );
    pending.set(key, promise);
    return promise;
  }
}
