/** Every table, for Drizzle's typed queries. Each domain keeps its own tables.ts. */
export * from '../access/tables.ts';
export * from '../alerts/tables.ts';
export * from '../alerts/tables.ts';
export * from '../audit/tables.ts';
export * from '../incidents/tables.ts';
export * from '../plans/tables.ts';
