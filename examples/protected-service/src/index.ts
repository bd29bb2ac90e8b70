export { createProtectedService, type ProtectedServiceOptions } from './app';
