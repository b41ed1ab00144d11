// Production HTTP server: Express in front of the React Router build. It validates the
// configuration before listening, serves hashed assets with long caching, compresses
// responses, and stamps each request with the client address (for the keyed address hash),
// overwriting anything the client sent in that header.
import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import { getEnv } from "../app/lib/env.server";

const env = getEnv();
const root = process.cwd();
const buildDir = path.join(root, "build");

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", env.TRUST_PROXY === "1");
app.use(compression());

app.use(
  "/assets",
  express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y", index: false }),
);
app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h", index: false }));

app.use((req, _res, next) => {
  req.headers["x-civic-client-address"] = req.ip ?? req.socket.remoteAddress ?? "";
  next();
});

const build = await import(path.join(buildDir, "server/index.js"));
app.all("/{*splat}", createRequestHandler({ build, mode: env.NODE_ENV }));

app.listen(env.PORT, env.HOST, () => {
  console.log(`Listening on http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`);
});
