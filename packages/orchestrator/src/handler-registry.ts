import type { TaskHandler } from './task-handler.ts';
import { globMatcher } from './glob.ts';

/** Task handlers by task type. Only workers build one; the API needs declarations alone. */
export class HandlerRegistry {
  private readonly handlers = new Map<string, TaskHandler>();

  constructor(handlers: Iterable<TaskHandler> = []) {
    for (const h of handlers) this.register(h);
  }

  register(handler: TaskHandler): void {
    if (this.handlers.has(handler.taskType)) throw new Error(`task type ${handler.taskType} has two handlers`);
    this.handlers.set(handler.taskType, handler);
  }

  get(taskType: string): TaskHandler | undefined {
    return this.handlers.get(taskType);
  }

  /** The registered task types a `--task-types` pattern selects; a pattern that selects none is an error. */
  select(pattern: string): string[] {
    const matches = globMatcher(pattern);
    const selected = [...this.handlers.keys()].filter(matches).sort();
    if (selected.length === 0) {
      throw new Error(`--task-types "${pattern}" matches no task type this worker can run; known: ${[...this.handlers.keys()].sort().join(', ')}`);
    }
    return selected;
  }
}
