export * from './errors';
export * from './ids';
export * from './domain';
export * from './queues';
export * from './pubsub';
export * from './scopes';
