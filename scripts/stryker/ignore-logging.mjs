// A StrykerJS ignorer (stryker.config.mjs, docs/testing.md): statements that only write to the
// app's log (`logger.info(…)`, `log.warn(…)`) are not mutated. What they say is for whoever
// reads the log; no rule of Tandem depends on it, so a mutant there could only survive.
import { PluginKind, declareValuePlugin } from "@stryker-mutator/api/plugin";

const LOGGERS = new Set(["logger", "log"]);
const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "logging", {
    shouldIgnore(path) {
      if (!path.isExpressionStatement()) return undefined;
      const call = path.node.expression;
      if (call.type !== "CallExpression" || call.callee.type !== "MemberExpression") return undefined;
      const { object, property } = call.callee;
      if (object.type === "Identifier" && LOGGERS.has(object.name) && property.type === "Identifier" && LEVELS.has(property.name)) {
        return "a log line: what it says is for whoever reads the log, not a rule";
      }
      return undefined;
    },
  }),
];
