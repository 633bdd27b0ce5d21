/** Every table, for Drizzle's typed queries. Each domain keeps its own tables.ts. */
export * from '../access/tables.ts';
export * from '../audit/tables.ts';
export * from '../escalation/tables.ts';
export * from '../incidents/tables.ts';
export * from '../monitors/tables.ts';
export * from '../notify/tables.ts';
export * from '../oncall/tables.ts';
export * from '../plans/tables.ts';
export * from '../postmortems/tables.ts';
export * from '../statuspage/tables.ts';
