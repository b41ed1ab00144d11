// Loaded only by `prisma dev`, which this project does not use (see package.json).
exports.startLocalDurableStreamsServer = () => {
  throw new Error("`prisma dev` is not supported in this project: it uses SQLite files (see README).");
};
