import pino from "pino";
import { getConfig } from "./config.server";

// One logger for the app and the worker. Tokens, keys and customer data are never logged.
export const logger = pino({
  level: getConfig().LOG_LEVEL,
  base: { service: "tandem" },
  redact: ["accessToken", "*.accessToken", "connectionKey", "*.connectionKey", "headers.authorization"],
});
