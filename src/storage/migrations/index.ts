/** Every migration, oldest first. A new one is added at the end and never edited after release. */
import { Initial1763856000000 } from "./1763856000000-Initial";

export const MIGRATIONS = [Initial1763856000000];
