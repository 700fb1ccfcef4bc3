import type { TaskHandler } from '../task-handler.ts';

export const noopHandler: TaskHandler = {
  taskType: 'noop',
  async run({ item }) {
    return item ?? null;
  },
};
