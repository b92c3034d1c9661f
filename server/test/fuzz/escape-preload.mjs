// Loaded into a spawned server (NODE_OPTIONS=--import): on SIGUSR2 it lets one promise rejection
// and one exception escape every handler, as a bug in some callback would.
process.on('SIGUSR2', () => {
  Promise.reject(new Error('escaped rejection (test)'));
  setImmediate(() => {
    throw new Error('escaped exception (test)');
  });
});
