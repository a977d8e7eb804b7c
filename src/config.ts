/**
 * Process configuration from the environment. Everything has a default that makes the embedded
 * demo work; secrets are read here and nowhere else (and never logged: see src/log.ts).
 */
import path from "node:path";

export interface AppConfig {
  /** Folder for everything the installation creates: SQLite file, keys, private Redis data. */
  home: string;
  dbUrl: string;
  redisUrl: string;
  logLevel: string;
  port: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const home = path.resolve(env.GIS_SYNC_HOME || "./var");
  return {
    home,
    dbUrl: env.DB_URL || `sqlite:${path.join(home, "gis-sync.sqlite")}`,
    redisUrl: env.REDIS_URL || "redis://127.0.0.1:6379",
    logLevel: env.LOG_LEVEL || "info",
    port: Number(env.PORT || 8080),
  };
}
