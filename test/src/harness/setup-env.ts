// Runs before every integration test file. `npm test` provides MONGODB_URI and
// REDIS_URL; running jest by hand needs them too.
if (!process.env.MONGODB_URI) {
  throw new Error('MONGODB_URI is not set: run the suite through `npm test`, which starts FerretDB and Redis');
}
process.env.LOG_LEVEL ??= 'silent';
